import { EventEmitter } from 'node:events';
import type { LiveServer } from './liveServer';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type Signal = (typeof SIGNALS)[number];
const isOurSignal = (event: unknown): event is Signal => event === 'SIGTERM' || event === 'SIGINT';

/**
 * On SIGTERM or SIGINT (or when the engine is gone) the live server drains: it stops accepting
 * (the next version accepts from the same socket), answers what it has, and ends its connections.
 * The program's own handlers of those signals run after the drain, not beside it: a framework's
 * shutdown (fastify's close, with its 503 to requests that arrive while closing) would otherwise
 * answer requests the drain is still taking. Without such handlers the signal is raised again with
 * Node's own handling, so the process ends as it would have. A second signal ends it at once.
 */
export class Drain {
  private started = false;
  /** The program's handlers of SIGTERM and SIGINT, held until the drain is done. */
  private readonly deferred = new EventEmitter();

  constructor(
    private readonly live: () => LiveServer | undefined,
    private readonly drainMs: number,
    private readonly announce: () => void,
  ) {}

  install(): void {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    this.holdProgramHandlers();
  }

  /** The engine is gone: drain within a second, and be gone two seconds later whatever happens. */
  engineGone(why: string): void {
    process.stderr.write(`hotreload: the engine is gone (${why}): draining\n`);
    setTimeout(() => process.exit(1), 2000).unref();
    void this.run(1000).then(() => process.exit(0));
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.started) {
      this.handOn(signal as Signal);
      return;
    }
    void this.run(this.drainMs).then(() => this.handOn(signal as Signal));
  };

  private async run(deadlineMs: number): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.announce();
    await this.live()?.drain(deadlineMs);
  }

  /** The program's own handlers decide what the signal does; without any, Node's default does. */
  private handOn(signal: Signal): void {
    if (this.deferred.listenerCount(signal) > 0) {
      this.deferred.emit(signal, signal);
      return;
    }
    for (const s of SIGNALS) process.off(s, this.onSignal);
    process.kill(process.pid, signal);
  }

  /**
   * Routes the program's listeners of SIGTERM and SIGINT (`process.on`, `once`, `off` and the
   * rest) to `deferred`, which is emitted once the drain is done. The process keeps handling the
   * signals through `onSignal`, which is registered first.
   */
  private holdProgramHandlers(): void {
    const deferred = this.deferred;
    const target = process as unknown as Record<string, (...args: unknown[]) => unknown>;
    const route = (name: string, to: (event: Signal, listener: (...args: unknown[]) => void) => unknown) => {
      const original = target[name];
      target[name] = function (this: unknown, event: unknown, listener: unknown, ...rest: unknown[]) {
        if (isOurSignal(event) && listener !== undefined && typeof listener === 'function' && listener !== drainListener) {
          to(event, listener as (...args: unknown[]) => void);
          return process;
        }
        return original.call(this, event, listener, ...rest);
      };
    };
    const drainListener = this.onSignal;
    route('on', (e, l) => deferred.on(e, l));
    route('addListener', (e, l) => deferred.addListener(e, l));
    route('once', (e, l) => deferred.once(e, l));
    route('prependListener', (e, l) => deferred.prependListener(e, l));
    route('prependOnceListener', (e, l) => deferred.prependOnceListener(e, l));
    route('off', (e, l) => deferred.off(e, l));
    route('removeListener', (e, l) => deferred.removeListener(e, l));
    const listeners = target.listeners;
    target.listeners = function (this: unknown, event: unknown) {
      const own = listeners.call(this, event) as unknown[];
      return isOurSignal(event) ? [...own.filter((l) => l !== drainListener), ...deferred.listeners(event)] : own;
    };
    const listenerCount = target.listenerCount;
    target.listenerCount = function (this: unknown, event: unknown, ...rest: unknown[]) {
      return isOurSignal(event) ? deferred.listenerCount(event) : listenerCount.call(this, event, ...rest);
    };
  }
}
