// The module object itself (an import would be a namespace of getters), so its functions can be replaced.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const timers = require('node:timers') as Record<string, unknown>;
import { versionContext } from './versions';

type Timer = NodeJS.Timeout;

/**
 * The timers each version of the program made that would outlive it: every interval, and the
 * timeouts its modules set while loading (a timeout set while serving a request belongs to that
 * request, which finishes on the old version, so it is left to fire). When a patch replaces a
 * version, `clearBefore` clears what the older versions left, so nothing of theirs keeps running.
 */
export class VersionTimers {
  private readonly byVersion = new Map<number, Set<Timer>>();
  private readonly versionOf = new WeakMap<Timer, number>();

  /** Wraps the global and node:timers setTimeout/setInterval and their clear functions. */
  install(): void {
    type Schedule = (this: unknown, callback: unknown, ms?: number, ...args: unknown[]) => Timer;
    const originals = {
      setTimeout: globalThis.setTimeout as unknown as Schedule,
      setInterval: globalThis.setInterval as unknown as Schedule,
      clearTimeout: globalThis.clearTimeout,
      clearInterval: globalThis.clearInterval,
    };
    const track = (timer: Timer, repeat: boolean): Timer => {
      const context = versionContext.getStore();
      if (!context || (!repeat && context.phase !== 'load')) return timer;
      let set = this.byVersion.get(context.version);
      if (!set) this.byVersion.set(context.version, (set = new Set()));
      set.add(timer);
      this.versionOf.set(timer, context.version);
      return timer;
    };
    const forget = (timer: unknown) => {
      if (typeof timer !== 'object' || timer === null) return;
      const version = this.versionOf.get(timer as Timer);
      if (version !== undefined) this.byVersion.get(version)?.delete(timer as Timer);
    };
    const setTimeoutTracked = function (this: unknown, callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): Timer {
      if (typeof callback !== 'function') return originals.setTimeout.call(this, callback, ms, ...args);
      const timer: Timer = originals.setTimeout.call(
        this,
        (...a: unknown[]) => {
          forget(timer);
          callback(...a);
        },
        ms,
        ...args,
      );
      return track(timer, false);
    };
    const setIntervalTracked = function (this: unknown, callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): Timer {
      return track(originals.setInterval.call(this, callback, ms, ...args), true);
    };
    const clearTracked = (original: (timer: Timer | undefined) => void) =>
      function (timer: Timer | string | number | undefined): void {
        forget(timer);
        original(timer as Timer);
      };
    const replacements = {
      setTimeout: keepProperties(setTimeoutTracked, originals.setTimeout),
      setInterval: keepProperties(setIntervalTracked, originals.setInterval),
      clearTimeout: clearTracked(originals.clearTimeout),
      clearInterval: clearTracked(originals.clearInterval),
    };
    Object.assign(globalThis, replacements);
    Object.assign(timers, replacements);
  }

  /** Clears every tracked timer of the versions before `version`; returns how many. */
  clearBefore(version: number): number {
    let cleared = 0;
    for (const [v, set] of this.byVersion) {
      if (v >= version) continue;
      for (const timer of set) {
        clearTimeout(timer);
        clearInterval(timer);
        cleared++;
      }
      this.byVersion.delete(v);
    }
    return cleared;
  }

  /** Clears what one version made (a patch that failed to load). */
  clearVersion(version: number): void {
    for (const timer of this.byVersion.get(version) ?? []) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this.byVersion.delete(version);
  }
}

/** The wrapper, with the original's own properties (util.promisify.custom) kept. */
function keepProperties<T extends object>(wrapper: T, original: object): T {
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    const descriptor = Object.getOwnPropertyDescriptor(original, key);
    if (descriptor) Object.defineProperty(wrapper, key, descriptor);
  }
  return wrapper;
}
