import type { AsyncSubscription, Event } from '@parcel/watcher';
import type { ChangedFile } from '../events';
import type { ChangeListener, WatchFilter, Watcher, WatcherOptions } from './watcher';

type ParcelWatcher = typeof import('@parcel/watcher');

let parcel: ParcelWatcher | null | undefined;

function loadParcel(): ParcelWatcher | null {
  if (parcel === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      parcel = require('@parcel/watcher') as ParcelWatcher;
    } catch {
      parcel = null;
    }
  }
  return parcel;
}

export function nativeWatcherAvailable(): boolean {
  return loadParcel() !== null;
}

/** @parcel/watcher: the native watcher VS Code itself uses; fast to start and small. */
export async function startNativeWatcher(
  root: string,
  filter: WatchFilter,
  listener: ChangeListener,
  options: WatcherOptions,
): Promise<Watcher> {
  const watcher = loadParcel();
  if (!watcher) throw new Error('the native file watcher (@parcel/watcher) is not available on this platform');
  let disposed = false;
  const subscription: AsyncSubscription = await watcher.subscribe(
    root,
    (err: Error | null, events: Event[]) => {
      if (disposed) return;
      if (err) {
        options.onError(err);
        return;
      }
      const changes: ChangedFile[] = [];
      for (const event of events) {
        if (filter.accepts(event.path)) changes.push({ path: event.path, kind: event.type });
      }
      if (changes.length > 0) listener(changes);
    },
    { ignore: filter.ignoreGlobs() },
  );
  return {
    kind: 'native',
    dispose() {
      if (disposed) return;
      disposed = true;
      void subscription.unsubscribe().catch(() => undefined);
    },
  };
}
