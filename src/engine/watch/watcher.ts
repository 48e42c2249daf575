import type { ChangeListener, WatchFilter, Watcher, WatcherOptions } from './types';

export type { ChangeListener, WatchFilter, Watcher, WatcherOptions } from './types';

/** Starts the native watcher (polling where it is asked for, or where the native module is missing). */
export async function startWatcher(root: string, filter: WatchFilter, listener: ChangeListener, options: WatcherOptions): Promise<Watcher> {
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
