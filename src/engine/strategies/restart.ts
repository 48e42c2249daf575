import type { Artifact } from '../kernel/artifact';
import type { Program } from '../processes/program';
import type { Settings } from '../settings/types';
import { pollUntil, probeAddress, probeTcp } from './probes';
import { programAddress, type ListenAddress } from './publicAddress';
import { waitUntilReady } from './readiness';
import type { DeployResult, Launch, RunStrategy } from './strategy';

type RestartSettings = Pick<Settings, 'stopSignal' | 'gracePeriodMs' | 'appPort' | 'env' | 'readyTimeoutMs'>;

export interface RestartOptions {
  settings: RestartSettings;
  launch: Launch;
  programEnv?: () => Record<string, string | undefined>;
  /**
   * The program runs on this machine, so its address can be knocked on. A remote one (a
   * container, an SSH host) is reported once it runs, as before.
   */
  local?: boolean;
}

/**
 * The default strategy: stop the old version's whole process group (signal,
 * grace period, SIGKILL), so its port is free, then start the new artifact.
 *
 * A new version is reported once it serves, not once it runs: a program that listened on its
 * address before (appPort, else PORT, else 8080) is waited for until that address accepts a
 * connection again (up to readyTimeoutMs; time paused in a debugger does not count), so the
 * figure users read is save → serving. Whether it listens is learnt from each version, in the
 * background: a program that never listens there (a worker, a server on a port of its own) is
 * reported as soon as it runs.
 */
export class RestartStrategy implements RunStrategy {
  readonly name = 'restart' as const;
  /** Where the last start was reached (env files are read again at each start). */
  private lastAddress: ListenAddress | undefined;
  /** The last version was seen to accept connections on its address: the next one is waited for. */
  private listens = false;
  /** Ends the background look at the last version's address. */
  private stopLearning: (() => void) | undefined;
  private readonly settings: RestartSettings;
  private readonly launch: Launch;
  private readonly programEnv: () => Record<string, string | undefined>;

  constructor(private readonly options: RestartOptions) {
    this.settings = options.settings;
    this.launch = options.launch;
    this.programEnv = options.programEnv ?? (() => ({}));
  }

  /** Whether the next deploy waits for its version to accept connections (the last one did). */
  get waitsForServing(): boolean {
    return this.listens && this.options.local === true;
  }

  /** The program opens its own port: appPort, else PORT, else 8080. */
  get address(): ListenAddress {
    return this.lastAddress ?? programAddress(this.settings, this.programEnv());
  }

  async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    this.stopLearning?.();
    const stopStarted = Date.now();
    if (current) await current.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
    const stopMs = Date.now() - stopStarted;
    const startStarted = Date.now();
    this.lastAddress = programAddress(this.settings, this.programEnv());
    let program: Program;
    try {
      program = await this.launch(artifact);
    } catch (err) {
      return { ok: false, message: (err as Error).message, output: '', stopMs, startMs: Date.now() - startStarted };
    }
    const knock = this.options.local ? probeAddress(this.lastAddress) : undefined;
    const note = knock && this.listens ? await this.untilServing(program, knock) : undefined;
    if (knock && !this.listens) this.learn(program, knock);
    const outcome = current ? 'restarted' : 'started';
    return { ok: true, program, outcome, stopMs, startMs: Date.now() - startStarted, ...(note ? { note } : {}) };
  }

  dispose(): Promise<void> {
    this.stopLearning?.();
    return Promise.resolve();
  }

  /**
   * Waits until the new version accepts a connection on its address, or exits (its crash is the
   * session's to report). Says why when it stopped waiting without that.
   */
  private async untilServing(program: Program, address: ListenAddress): Promise<string | undefined> {
    let cancelled = false;
    const accepts = accepting(address, () => cancelled);
    const readiness = await waitUntilReady(program, accepts, this.settings.readyTimeoutMs, () => (cancelled = true));
    if (readiness.kind !== 'timeout') return undefined;
    this.listens = false;
    this.learn(program, address);
    return `v${program.version} did not accept connections on port ${address.port} within ${this.settings.readyTimeoutMs} ms (the last version did): reported as running, not as serving`;
  }

  /** Looks at a running version's address in the background, for the next deploy to know whether to wait. */
  private learn(program: Program, address: ListenAddress): void {
    let cancelled = false;
    const stop = (): void => {
      cancelled = true;
    };
    this.stopLearning = stop;
    const over = (): boolean => cancelled || !program.running;
    void waitUntilReady(program, accepting(address, over), this.settings.readyTimeoutMs, stop).then((r) => {
      if (r.kind === 'ready' && this.stopLearning === stop) this.listens = true;
    });
  }
}

/** Resolves true once `address` accepts a connection (false if `cancelled` says so first). */
function accepting(address: ListenAddress, cancelled: () => boolean): Promise<boolean> {
  return pollUntil(() => probeTcp(address.port, address.host, 250), cancelled);
}
