/**
 * The one way tests and benchmarks wait for something to hold: poll it, with a deadline, and say
 * what was awaited (and what was last seen) when it never came.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Give up after this long. Default 30 s. */
  timeoutMs?: number;
  /** The pause between tries. Default 25 ms. */
  intervalMs?: number;
}

type NotYet = undefined | null | false;

/**
 * Calls `fn` until it returns a value (anything but undefined, null or false) and returns that
 * value. A throw counts as "not yet"; the last one is quoted if time runs out. `what` names what
 * is awaited; as a function it is called at the timeout, so it can say what was last seen.
 */
export async function eventually<T>(what: string | (() => string), fn: () => T | NotYet | Promise<T | NotYet>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why =
        lastError === undefined ? '' : ` (last error: ${(lastError instanceof Error ? lastError.message : JSON.stringify(lastError)).split('\n')[0]})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}${why}`);
    }
    await sleep(options.intervalMs ?? 25);
  }
}
