import { realClock, type Clock, type Timer } from '../../kernel/clock';
import type { BuildProgress } from '../../kernel/events';

/** A build that takes longer than this shows its progress; a faster one says nothing (no flicker). */
const SHOW_PROGRESS_AFTER_MS = 1000;
/** Then at most this often: a cold build compiles hundreds of packages, front ends need a few lines a second. */
const EVERY_MS = 250;

/**
 * Between a builder's progress and the front ends: holds it back for the build's first second,
 * then passes the latest at most every EVERY_MS, and, when the build ends, says `done` if it
 * showed anything (front ends close their notification on it).
 */
export class ProgressGate {
  private shown = false;
  private sentAny = false;
  private latest: BuildProgress | undefined;
  private pending = false;
  private lastSent = 0;
  private lastPhase: BuildProgress['phase'] | undefined;
  private readonly showTimer: Timer;
  private throttle: Timer | undefined;
  private ended = false;
  private readonly clock: Clock;

  constructor(
    private readonly send: (progress: BuildProgress) => void,
    options: { clock?: Clock; delayMs?: number } = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.showTimer = this.clock.setTimeout(() => {
      this.shown = true;
      if (this.latest) this.flush();
    }, options.delayMs ?? SHOW_PROGRESS_AFTER_MS);
  }

  update(progress: BuildProgress): void {
    if (this.ended) return;
    this.latest = progress;
    this.pending = true;
    if (!this.shown || this.throttle) return;
    const wait = this.lastSent + EVERY_MS - this.clock.now();
    if (wait <= 0 || progress.phase !== this.lastPhase) this.flush();
    else this.throttle = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** The build ended: `message` says how ("built", "build failed", "build cancelled"). */
  end(message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.clock.clearTimeout(this.showTimer);
    this.clock.clearTimeout(this.throttle);
    if (this.sentAny)
      this.send({ phase: 'done', count: this.latest?.count ?? 0, ...(this.latest?.total !== undefined ? { total: this.latest.total } : {}), message });
  }

  private flush(): void {
    this.clock.clearTimeout(this.throttle);
    this.throttle = undefined;
    if (this.ended || !this.pending || !this.latest) return;
    this.pending = false;
    this.sentAny = true;
    this.lastSent = this.clock.now();
    this.lastPhase = this.latest.phase;
    this.send(this.latest);
  }
}
