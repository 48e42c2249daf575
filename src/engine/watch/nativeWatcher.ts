import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AsyncSubscription, Event } from '@parcel/watcher';
import type { ChangedFile } from '../kernel/events';
import { isDirectory } from '../kernel/paths';
import type { ChangeListener, WatchFilter, Watcher, WatcherOptions } from './types';

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

/** Most folders watched beside the native watcher (each is one inotify watch). */
const MAX_NESTED_WATCHES = 4096;

/**
 * @parcel/watcher: the native watcher VS Code itself uses; fast to start and
 * small. On Linux it watches a new folder only after it has seen it created,
 * so a tree that appears at once (`mkdir -p`, a checkout adding a package, a
 * folder moved in) reports its top folder and nothing below. So a created
 * folder is walked for the files already in it, and the folders below it are
 * watched here with fs.watch (renewing the native subscription would not
 * help: inotify shares a watch per path, so dropping the old one drops the
 * new). The content hashes drop whatever both report.
 */
export async function startNativeWatcher(root: string, filter: WatchFilter, listener: ChangeListener, options: WatcherOptions): Promise<Watcher> {
  const watcher = loadParcel();
  if (!watcher) throw new Error('the native file watcher (@parcel/watcher) is not available on this platform');
  let disposed = false;
  const nested = new NestedFolders(filter, (changes) => !disposed && listener(changes), options);

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
        if (event.type === 'create' && isDirectory(event.path)) {
          if (!filter.ignoresDir(event.path)) nested.arrived(event.path, changes, false);
        } else if (filter.accepts(event.path)) {
          changes.push({ path: event.path, kind: event.type });
        }
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
      nested.dispose();
      void subscription.unsubscribe().catch(() => undefined);
    },
  };
}

/** The folders below a newly created folder, which the native watcher may have missed. */
class NestedFolders {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private warned = false;

  constructor(
    private readonly filter: WatchFilter,
    private readonly listener: ChangeListener,
    private readonly options: WatcherOptions,
  ) {}

  /**
   * A folder appeared: report the files already in it, and watch the folders
   * below it (and the folder itself when the native watcher does not, `watchSelf`).
   */
  arrived(dir: string, changes: ChangedFile[], watchSelf: boolean): void {
    if (watchSelf) this.watch(dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!this.filter.ignoresDir(full)) this.arrived(full, changes, true);
      } else if (this.filter.accepts(full)) {
        changes.push({ path: full, kind: 'create' });
      }
    }
  }

  private watch(dir: string): void {
    if (this.watchers.has(dir)) return;
    if (this.watchers.size >= MAX_NESTED_WATCHES) {
      if (!this.warned)
        this.options.onError(new Error(`more than ${MAX_NESTED_WATCHES} new folders appeared at once; restart hot reload to watch all of them`));
      this.warned = true;
      return;
    }
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (!name) return;
        const full = path.join(dir, name.toString());
        const changes: ChangedFile[] = [];
        if (isDirectory(full)) {
          if (!this.filter.ignoresDir(full)) this.arrived(full, changes, true);
        } else if (this.filter.accepts(full)) {
          changes.push({ path: full, kind: 'update' });
        }
        if (changes.length > 0) this.listener(changes);
      });
      w.on('error', () => {
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch {
      /* gone already */
    }
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
