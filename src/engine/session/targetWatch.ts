import type { Disposable } from '../kernel/disposable';
import type { ProcessHost } from '../processes/processHost';
import type { ProgramKeeper } from './keeper';
import type { Reloader } from './reloader';
import type { SessionReporter } from './reporter';

/** How often a lost target is asked whether it is back. */
const RECONNECT_POLL_MS = 1000;

/**
 * A remote target (container, SSH host) whose channel broke: the far side has stopped the program
 * by itself (end of file, or its watchdog). This says so once, asks the target every second
 * whether it is back, and then starts the version that was serving there again.
 */
export class TargetWatch implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly host: ProcessHost,
    private readonly label: string,
    private readonly session: { reporter: SessionReporter; keeper: ProgramKeeper; reloader: Reloader; restart(): void },
  ) {
    host.onLost((err) => this.lost(err));
  }

  private lost(err: Error): void {
    if (this.disposed || this.timer) return;
    const why = `lost the connection to ${this.label} (${err.message}); the program there was stopped with it`;
    this.session.reporter.log('error', `${why}; hot reload starts it again when ${this.label} is back`);
    this.session.reporter.setState('crashed', `waiting for ${this.label} to come back (the connection to it was lost)`);
    this.timer = setInterval(() => void this.check(), RECONNECT_POLL_MS);
  }

  private async check(): Promise<void> {
    const transport = await this.host.reach();
    if (this.disposed || !(await transport.available()) || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.session.reporter.log('info', `${this.label} is back: starting the program there again`);
    // The version that served when the connection broke; else a fresh build.
    const resume = this.session.keeper.takeInterrupted();
    if (resume) void this.session.reloader.redeploy(resume, `${this.label} is back`, 'rerun');
    else this.session.restart();
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
  }
}
