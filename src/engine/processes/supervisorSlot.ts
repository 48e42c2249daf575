import { Supervisor } from './supervisor/supervisor';
import type { Transport } from './transports/transport';

/** One supervisor on one target, started on first use and again after it went away. */
export class SupervisorSlot {
  private starting: Promise<Supervisor> | undefined;
  current: Supervisor | undefined;
  closed = false;

  constructor(
    private readonly transport: () => Promise<Transport>,
    private readonly log: (message: string) => void,
    /** Called when the supervisor went away unasked (before anything learns its processes ended). */
    private readonly onLost: (err: Error) => void,
  ) {}

  get(): Promise<Supervisor> {
    if (this.closed) return Promise.reject(new Error('the session is stopping'));
    this.starting ??= this.transport()
      .then((transport) => Supervisor.start(this.log, transport))
      .then(
        (supervisor) => {
          this.current = supervisor;
          supervisor.onLost((err) => {
            if (this.closed || this.current !== supervisor) return;
            this.current = undefined;
            this.starting = undefined;
            this.onLost(err);
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

  async shutdown(graceMs: number, remove: boolean): Promise<void> {
    this.closed = true;
    const supervisor = this.current ?? (await this.starting?.catch(() => undefined));
    await supervisor?.shutdown(graceMs, remove);
  }
}
