import type { Disposable } from '../kernel/disposable';
import { Supervisor } from './supervisor/supervisor';

/**
 * A session's supervisor, started on first use and shared by everything the session runs: its
 * builds, hooks and helpers, and every version of the program.
 */
export class ProcessHost implements Disposable {
  private starting: Promise<Supervisor> | undefined;
  private current: Supervisor | undefined;
  private disposed = false;

  constructor(private readonly log: (message: string) => void) {}

  /** The supervisor, started if need be (again, should the last one have died). */
  supervisor(): Promise<Supervisor> {
    if (this.disposed) return Promise.reject(new Error('the session is stopping'));
    this.starting ??= Supervisor.start(this.log).then(
      (supervisor) => {
        this.current = supervisor;
        void supervisor.exited.then(() => {
          if (this.current === supervisor) {
            this.current = undefined;
            this.starting = undefined;
            if (!this.disposed) this.log('the supervisor exited; a new one starts with the next process');
          }
        });
        return supervisor;
      },
      (err: unknown) => {
        this.starting = undefined;
        throw err;
      },
    );
    return this.starting;
  }

  /** Stops everything the supervisor runs (at most `graceMs` each) and ends it. */
  async shutdown(graceMs: number): Promise<void> {
    this.disposed = true;
    const supervisor = this.current ?? (await this.starting?.catch(() => undefined));
    await supervisor?.shutdown(graceMs);
  }

  dispose(): void {
    void this.shutdown(1000);
  }

  /** For exit handlers: the supervisor stops everything on its own once told. */
  killSync(): void {
    this.current?.killSync();
  }
}
