import type { Disposable } from '../disposable';
import type { ChangedFile } from '../events';

/** What a watcher needs to know about which paths matter. */
export interface WatchFilter {
  /** Whether a change to this file should count. */
  accepts(absPath: string): boolean;
  /** Whether a whole directory can be skipped (never watched, never walked). */
  ignoresDir(absDir: string): boolean;
  /** Glob patterns the native watcher can skip at the source. */
  ignoreGlobs(): string[];
}

export type ChangeListener = (changes: ChangedFile[]) => void;

export interface WatcherOptions {
  kind: 'native' | 'polling';
  pollIntervalMs: number;
  /** Called when the watcher fails after it started (e.g. the root was deleted). */
  onError(error: Error): void;
}

/**
 * Watches a tree and reports raw file changes that pass the filter. One
 * interface over two implementations: the native watcher (inotify, FSEvents,
 * ReadDirectoryChangesW) by default, polling where native events do not arrive.
 */
export interface Watcher extends Disposable {
  readonly kind: 'native' | 'polling';
}

export async function startWatcher(
  root: string,
  filter: WatchFilter,
  listener: ChangeListener,
  options: WatcherOptions,
): Promise<Watcher> {
  if (options.kind === 'polling') {
    const { startPollingWatcher } = await import('./pollingWatcher');
    return startPollingWatcher(root, filter, listener, options);
  }
  const { startNativeWatcher, nativeWatcherAvailable } = await import('./nativeWatcher');
  if (!nativeWatcherAvailable()) {
    // A platform without the prebuilt native module still gets a working watcher.
    const { startPollingWatcher } = await import('./pollingWatcher');
    return startPollingWatcher(root, filter, listener, options);
  }
  return startNativeWatcher(root, filter, listener, options);
}
