import type { Settings, Strategy } from '../config/settings';
import type { Artifact } from '../build/artifacts';
import { loadEnvFiles } from '../config/envFile';
import type { ProgramProcess } from './program';
import type { DeployResult, Launch, RunStrategy } from './strategy';
import { detectLibrary, HOTRELOAD_PACKAGE, type Detection } from './detectStrategy';
import { HandoffStrategy, type LogFn } from './handoff';
import { ProxyStrategy } from './proxy';
import { PatchStrategy } from './patch';

export interface StrategyDeps {
  settings: Settings;
  launch: Launch;
  log: LogFn;
  /** The restart strategy, for "auto" when the program does not speak the handoff protocol. */
  restart: () => RunStrategy;
}

/**
 * The strategies this module provides: "handoff", "proxy", "patch" (over a handoff), and "auto", which picks handoff when the
 * main package depends on hotreload.dev/go/hotreload and restart otherwise (checked once, with
 * `go list -deps`, started when the session is created so it overlaps the first build). An explicit
 * strategy setting is always used as it is.
 */
export function createStrategy(kind: 'handoff' | 'proxy' | 'patch' | 'auto', deps: StrategyDeps): RunStrategy {
  const programEnv = () => ({ ...process.env, ...loadEnvFiles(deps.settings.envFiles).env });
  const detect = () => {
    const controller = new AbortController();
    return { controller, detection: detectLibrary(deps.settings, { signal: controller.signal }) };
  };
  switch (kind) {
    case 'patch':
      // Patching needs go/hotreload, so its fallback and its full starts are handoffs.
      return new PatchStrategy(deps.settings, new HandoffStrategy({ settings: deps.settings, launch: deps.launch, log: deps.log, programEnv }));
    case 'proxy':
      return new ProxyStrategy({ settings: deps.settings, launch: deps.launch, log: deps.log, programEnv });
    case 'handoff': {
      const { controller, detection } = detect();
      return new DetectingStrategy(new HandoffStrategy({ settings: deps.settings, launch: deps.launch, log: deps.log, programEnv, detection }), controller);
    }
    case 'auto': {
      const { controller, detection } = detect();
      return new AutoStrategy(
        detection,
        controller,
        (found) =>
          found.usesLibrary === true
            ? { strategy: new HandoffStrategy({ settings: deps.settings, launch: deps.launch, log: deps.log, programEnv, detection }), why: `the program imports ${HOTRELOAD_PACKAGE}` }
            : {
                strategy: deps.restart(),
                why: found.usesLibrary === false ? `the program does not import ${HOTRELOAD_PACKAGE}` : `it is not known whether the program imports ${HOTRELOAD_PACKAGE} (${found.problem})`,
              },
      );
    }
  }
}

/** A strategy whose go list detection must be stopped with it. */
class DetectingStrategy implements RunStrategy {
  constructor(
    readonly inner: RunStrategy,
    private readonly detection: AbortController,
  ) {}

  get name(): Strategy {
    return this.inner.name;
  }

  deploy(artifact: Artifact, current: ProgramProcess | undefined): Promise<DeployResult> {
    return this.inner.deploy(artifact, current);
  }

  async dispose(): Promise<void> {
    this.detection.abort();
    await this.inner.dispose();
  }
}

/** "auto": decides on the first deploy, once detection is done, and delegates from then on. */
export class AutoStrategy implements RunStrategy {
  private chosen: RunStrategy | undefined;
  private why = '';
  private noted = false;

  constructor(
    private readonly detection: Promise<Detection>,
    private readonly controller: AbortController,
    private readonly choose: (found: Detection) => { strategy: RunStrategy; why: string },
  ) {
    void detection.then((found) => this.decide(found));
  }

  /** The chosen strategy's name; "restart" until the choice is made. */
  get name(): Strategy {
    return this.chosen?.name ?? 'restart';
  }

  /** The strategy in use once chosen (tests, live patching). */
  get inner(): RunStrategy | undefined {
    return this.chosen;
  }

  async deploy(artifact: Artifact, current: ProgramProcess | undefined): Promise<DeployResult> {
    const strategy = this.chosen ?? this.decide(await this.detection);
    const result = await strategy.deploy(artifact, current);
    if (this.noted || !result.ok) return result;
    this.noted = true;
    const note = `strategy auto: ${strategy.name}, as ${this.why}`;
    return { ...result, note: result.note ? `${note}; ${result.note}` : note };
  }

  async dispose(): Promise<void> {
    this.controller.abort();
    await this.chosen?.dispose();
  }

  private decide(found: Detection): RunStrategy {
    if (!this.chosen) {
      const { strategy, why } = this.choose(found);
      this.chosen = strategy;
      this.why = why;
    }
    return this.chosen;
  }
}
