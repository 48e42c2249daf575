import type { Language } from '../languages';
import type { ProcessHost } from '../processes/processHost';
import { loadEnvFiles } from '../settings/envFile';
import type { Settings } from '../settings/types';
import { AutoStrategy, DetectingStrategy } from './auto';
import { HandoffStrategy } from './handoff/handoff';
import { PatchStrategy } from './patch/patch';
import { ProxyStrategy } from './proxy/proxy';
import { RestartStrategy } from './restart';
import type { Launch, LogFn, RunStrategy } from './strategy';

export interface StrategyDeps {
  settings: Settings;
  language: Language;
  launch: Launch;
  log: LogFn;
  host: ProcessHost;
}

/**
 * The one place strategies are made. "auto" picks handoff when the language says the program speaks
 * the handoff protocol (for Go: it depends on go/hotreload, checked once with `go list -deps`, started
 * now so it overlaps the first build) and restart otherwise. An explicit strategy is used as it is.
 */
export function createStrategy(kind: Settings['strategy'], deps: StrategyDeps): RunStrategy {
  const { settings, language, launch, log, host } = deps;
  const programEnv = () => ({ ...process.env, ...loadEnvFiles(settings.envFiles).env });
  const detect = () => {
    const controller = new AbortController();
    return { controller, detection: language.detectHandoff(settings, controller.signal, host) };
  };
  switch (kind) {
    case 'restart':
      return new RestartStrategy(settings, launch);
    case 'patch':
      // Patching needs the handoff protocol, so its fallback and its full starts are handoffs.
      return new PatchStrategy(settings, new HandoffStrategy({ settings, launch, log, host, programEnv }), language.createPatcher(settings, host));
    case 'proxy':
      return new ProxyStrategy({ settings, launch, log, programEnv });
    case 'handoff': {
      const { controller, detection } = detect();
      return new DetectingStrategy(new HandoffStrategy({ settings, launch, log, host, programEnv, detection }), controller);
    }
    case 'auto': {
      const { controller, detection } = detect();
      const library = language.handoffLibrary;
      return new AutoStrategy(detection, controller, (found) =>
        found.usesLibrary === true
          ? { strategy: new HandoffStrategy({ settings, launch, log, host, programEnv, detection }), why: `the program imports ${library}` }
          : {
              strategy: new RestartStrategy(settings, launch),
              why:
                found.usesLibrary === false
                  ? `the program does not import ${library}`
                  : `it is not known whether the program imports ${library} (${found.problem})`,
            },
      );
    }
    default:
      throw new Error(`unknown strategy "${String(kind)}": use auto, restart, handoff, proxy or patch`);
  }
}
