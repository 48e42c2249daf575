import type { PageHooks } from '../browser/pageHooks';
import type { Language } from '../languages';
import type { ProcessHost } from '../processes/processHost';
import { forwardsPorts, isRemote } from '../processes/transports';
import { loadEnvFiles } from '../settings/envFile';
import type { Settings } from '../settings/types';
import { AutoStrategy, DetectingStrategy } from './auto';
import { BrowserFront } from './browserFront';
import { ForwardedFront } from './forwardedFront';
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
  /** Browser reload is on: pages are served through a proxy that rewrites them. */
  pages?: PageHooks;
}

/**
 * The one place strategies are made. With browser reload the proxy strategy rewrites pages itself;
 * the others get a proxy in front of the program (BrowserFront).
 */
export function createStrategy(kind: Settings['strategy'], deps: StrategyDeps): RunStrategy {
  const base = baseStrategy(kind, deps);
  // A pod's port is reached through a port-forward; browser reload's proxy then sits in front of that.
  const strategy = forwardsPorts(deps.settings) ? new ForwardedFront(base, deps.host, deps.log) : base;
  if (!deps.pages || kind === 'proxy') return strategy;
  return new BrowserFront(strategy, { settings: deps.settings, pages: deps.pages, log: deps.log });
}

/**
 * The strategy itself. "auto" picks handoff when the language says the program speaks
 * the handoff protocol (for Go: it depends on go/hotreload, checked once with `go list -deps`, started
 * now so it overlaps the first build) and restart otherwise. An explicit strategy is used as it is.
 */
function baseStrategy(kind: Settings['strategy'], deps: StrategyDeps): RunStrategy {
  const { settings, language, launch, log, host, pages } = deps;
  const programEnv = () => ({ ...process.env, ...loadEnvFiles(settings.envFiles).env });
  const detect = () => {
    const controller = new AbortController();
    return { controller, detection: language.detectHandoff(settings, controller.signal, host) };
  };
  switch (kind) {
    case 'restart':
      return new RestartStrategy({ settings, launch, programEnv, local: !isRemote(settings) });
    case 'patch':
      // Patching needs the handoff protocol, so its fallback and its full starts are handoffs.
      return new PatchStrategy(settings, new HandoffStrategy({ settings, launch, log, host, programEnv, language }), language.createPatcher(settings, host));
    case 'proxy':
      return new ProxyStrategy({ settings, launch, log, programEnv, pages });
    case 'handoff': {
      const { controller, detection } = detect();
      return new DetectingStrategy(new HandoffStrategy({ settings, launch, log, host, programEnv, detection, language }), controller);
    }
    case 'auto': {
      const { controller, detection } = detect();
      return new AutoStrategy(detection, controller, (found) => {
        const { handoff, why } = language.autoStrategy(found);
        return {
          strategy: handoff
            ? new HandoffStrategy({ settings, launch, log, host, programEnv, detection, language })
            : new RestartStrategy({ settings, launch, programEnv, local: !isRemote(settings) }),
          why,
        };
      });
    }
    default:
      throw new Error(`unknown strategy "${String(kind)}": use auto, restart, handoff, proxy or patch`);
  }
}
