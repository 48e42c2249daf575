import type { Disposable } from '../kernel/disposable';
import type { ChangedFile } from '../kernel/events';

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
