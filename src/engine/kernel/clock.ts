/**
 * Time, as the parts that wait or measure see it: the real clock by default, and in tests a fake
 * one that a test moves forward (test/support/fakeClock.ts), so a backoff of seconds or a crash
 * window is a step of the test, not a wait.
 */

/** A pending timer. */
export interface Timer {
  /** Starts its delay over from now (a quiet period that begins again with each line of output). */
  refresh(): Timer;
  /** It no longer keeps the process alive. */
  unref(): Timer;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): Timer;
  setInterval(callback: () => void, ms: number): Timer;
  /** Cancels a timeout (nothing when it already ran or is undefined). */
  clearTimeout(timer: Timer | undefined): void;
  clearInterval(timer: Timer | undefined): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
  clearInterval: (timer) => clearInterval(timer as NodeJS.Timeout | undefined),
};
