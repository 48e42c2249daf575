import type { Artifact } from '../kernel/artifact';
import type { Program } from '../processes/program';
import type { Settings } from '../settings/types';
import { programAddress, type ListenAddress } from './publicAddress';
import type { DeployResult, Launch, RunStrategy } from './strategy';

/**
 * The default strategy: stop the old version's whole process group (signal,
 * grace period, SIGKILL), so its port is free, then start the new artifact.
 */
export class RestartStrategy implements RunStrategy {
  readonly name = 'restart' as const;
  /** Where the last start was reached (env files are read again at each start). */
  private lastAddress: ListenAddress | undefined;

  constructor(
    private readonly settings: Pick<Settings, 'stopSignal' | 'gracePeriodMs' | 'appPort' | 'env'>,
    private readonly launch: Launch,
    private readonly programEnv: () => Record<string, string | undefined> = () => ({}),
  ) {}

  /** The program opens its own port: appPort, else PORT, else 8080. */
  get address(): ListenAddress {
    return this.lastAddress ?? programAddress(this.settings, this.programEnv());
  }

  async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    const stopStarted = Date.now();
    if (current) await current.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
    const stopMs = Date.now() - stopStarted;
    const startStarted = Date.now();
    this.lastAddress = programAddress(this.settings, this.programEnv());
    try {
      const program = await this.launch(artifact);
      return { ok: true, program, outcome: current ? 'restarted' : 'started', stopMs, startMs: Date.now() - startStarted };
    } catch (err) {
      return { ok: false, message: (err as Error).message, output: '', stopMs, startMs: Date.now() - startStarted };
    }
  }

  async dispose(): Promise<void> {
    /* nothing besides the program */
  }
}
