import type { Clock, Timer } from '../../kernel/clock';
import type { Disposable } from '../../kernel/disposable';
import type { ProcessHost } from '../../processes/processHost';
import type { SessionReporter } from '../report/reporter';
import type { ProgramKeeper, Redeploy } from './keeper';

/** How often a lost target is asked whether it is back. */
const RECONNECT_POLL_MS = 1000;

export interface TargetWatchDeps {
  host: ProcessHost;
  /** The target's name ("web-1"). */
  label: string;
  clock: Clock;
  reporter: SessionReporter;
  keeper: ProgramKeeper;
  /** Starts a known version again, with nothing serving. */
  redeploy(redeploy: Redeploy): void;
  /** A fresh build and deploy. */
  restart(): void;
}

/**
 * A remote target (container, SSH host) whose channel broke: the far side has stopped the program
 * by itself (end of file, or its watchdog). This says so once, asks the target every second
 * whether it is back, and then starts the version that was serving there again.
 */
export class TargetWatch implements Disposable {
  private timer: Timer | undefined;
  private disposed = false;

  constructor(private readonly deps: TargetWatchDeps) {
    deps.host.onLost((err) => this.lost(err));
  }

  private lost(err: Error): void {
    const { label, reporter, clock } = this.deps;
    if (this.disposed || this.timer) return;
    const why = `lost the connection to ${label} (${err.message}); the program there was stopped with it`;
    reporter.log('error', `${why}; hot reload starts it again when ${label} is back`);
    reporter.setState('crashed', `waiting for ${label} to come back (the connection to it was lost)`);
    this.timer = clock.setInterval(() => void this.check(), RECONNECT_POLL_MS);
  }

  private async check(): Promise<void> {
    const { label, reporter, keeper, clock } = this.deps;
    const transport = await this.deps.host.reach();
    if (this.disposed || !(await transport.available()) || !this.timer) return;
    clock.clearInterval(this.timer);
    this.timer = undefined;
    reporter.log('info', `${label} is back: starting the program there again`);
    // The version that served when the connection broke; else a fresh build.
    const resume = keeper.takeInterrupted();
    if (resume) this.deps.redeploy({ target: resume, why: `${label} is back`, trigger: 'rerun' });
    else this.deps.restart();
  }

  dispose(): void {
    this.disposed = true;
    this.deps.clock.clearInterval(this.timer);
  }
}
