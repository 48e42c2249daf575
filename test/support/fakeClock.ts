/**
 * A clock the test moves: time stands still until `advance`, which runs every timer that falls
 * due on the way, in order, and lets promise callbacks (and I/O already done) run after each. A
 * backoff of seconds or a crash window is then a step of the test, not a wait.
 */
import type { Clock, Timer } from '../../src/engine/kernel/clock';

class FakeTimer implements Timer {
  /** When it falls due, and its place among those due at the same time: set by `FakeClock.schedule`. */
  due = 0;
  order = 0;

  constructor(
    private readonly clock: FakeClock,
    readonly callback: () => void,
    readonly delayMs: number,
    readonly repeat: boolean,
  ) {}

  refresh(): Timer {
    this.clock.schedule(this);
    return this;
  }

  unref(): Timer {
    return this;
  }
}

/** Lets promise callbacks run, and I/O callbacks whose work is done. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private time: number;
  private readonly timers = new Set<FakeTimer>();
  private created = 0;

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    return this.add(callback, ms, false);
  }

  setInterval(callback: () => void, ms: number): Timer {
    return this.add(callback, ms, true);
  }

  clearTimeout(timer: Timer | undefined): void {
    if (timer instanceof FakeTimer) this.timers.delete(timer);
  }

  clearInterval(timer: Timer | undefined): void {
    this.clearTimeout(timer);
  }

  /** The delays left of the timers pending now, soonest first. */
  pending(): number[] {
    return [...this.timers].map((t) => t.due - this.time).sort((a, b) => a - b);
  }

  /**
   * Moves time forward by `ms`, running each timer that falls due on the way, soonest first (then
   * in the order they were set), with promise callbacks let run before and after each.
   */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    await settle();
    for (let next = this.next(until); next; next = this.next(until)) {
      this.time = Math.max(this.time, next.due);
      if (next.repeat) this.schedule(next);
      else this.timers.delete(next);
      next.callback();
      await settle();
    }
    this.time = until;
    await settle();
  }

  /** (Re)arms a timer from now, as the last of those due at the same time. */
  schedule(timer: FakeTimer): void {
    timer.due = this.time + timer.delayMs;
    timer.order = this.created++;
    this.timers.add(timer);
  }

  private add(callback: () => void, ms: number, repeat: boolean): Timer {
    // Node runs a timer of 0 (or less) after 1 ms, and an interval never more often.
    const timer = new FakeTimer(this, callback, Math.max(1, ms), repeat);
    this.schedule(timer);
    return timer;
  }

  private next(until: number): FakeTimer | undefined {
    let soonest: FakeTimer | undefined;
    for (const t of this.timers) if (t.due <= until && (!soonest || t.due < soonest.due || (t.due === soonest.due && t.order < soonest.order))) soonest = t;
    return soonest;
  }
}
