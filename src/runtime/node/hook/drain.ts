import type { LiveServer } from './liveServer';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT (or when the engine is gone) the live server drains: it stops accepting
 * (the next version accepts from the same socket), answers what it has, and ends its connections.
 * Then, unless the program handles the signal itself, the signal is raised again with Node's own
 * handling, so the process ends as it would have. A second signal ends it at once.
 */
export class Drain {
  private started = false;

  constructor(
    private readonly live: () => LiveServer | undefined,
    private readonly drainMs: number,
    private readonly announce: () => void,
  ) {}

  install(): void {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  /** The engine is gone: drain within a second, and be gone two seconds later whatever happens. */
  engineGone(why: string): void {
    process.stderr.write(`hotreload: the engine is gone (${why}): draining\n`);
    setTimeout(() => process.exit(1), 2000).unref();
    void this.run(1000).then(() => process.exit(0));
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.started) {
      this.reraise(signal);
      return;
    }
    void this.run(this.drainMs).then(() => {
      if (!this.programHandles(signal)) this.reraise(signal);
    });
  };

  private async run(deadlineMs: number): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.announce();
    await this.live()?.drain(deadlineMs);
  }

  /** Whether the program listens for the signal itself (then it decides when to exit). */
  private programHandles(signal: NodeJS.Signals): boolean {
    return process.listeners(signal).some((listener) => listener !== this.onSignal);
  }

  private reraise(signal: NodeJS.Signals): void {
    for (const s of SIGNALS) process.off(s, this.onSignal);
    process.kill(process.pid, signal);
  }
}
