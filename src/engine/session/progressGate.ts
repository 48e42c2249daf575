import type { BuildProgress } from '../kernel/events';

/** A build that takes longer than this shows its progress; a faster one says nothing (no flicker). */
export const SHOW_PROGRESS_AFTER_MS = 1000;
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
  private readonly showTimer: NodeJS.Timeout;
  private throttle: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly send: (progress: BuildProgress) => void,
    delayMs = SHOW_PROGRESS_AFTER_MS,
  ) {
    this.showTimer = setTimeout(() => {
      this.shown = true;
      if (this.latest) this.flush();
    }, delayMs);
  }

  update(progress: BuildProgress): void {
    if (this.ended) return;
    this.latest = progress;
    this.pending = true;
    if (!this.shown || this.throttle) return;
    const wait = this.lastSent + EVERY_MS - Date.now();
    if (wait <= 0 || progress.phase !== this.lastPhase) this.flush();
    else this.throttle = setTimeout(() => this.flush(), wait);
  }

  /** The build ended: `message` says how ("built", "build failed", "build cancelled"). */
  end(message: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.showTimer);
    clearTimeout(this.throttle);
    if (this.sentAny)
      this.send({ phase: 'done', count: this.latest?.count ?? 0, ...(this.latest?.total !== undefined ? { total: this.latest.total } : {}), message });
  }

  private flush(): void {
    clearTimeout(this.throttle);
    this.throttle = undefined;
    if (this.ended || !this.pending || !this.latest) return;
    this.pending = false;
    this.sentAny = true;
    this.lastSent = Date.now();
    this.lastPhase = this.latest.phase;
    this.send(this.latest);
  }
}
