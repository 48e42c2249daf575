import type { ChangedFile } from '../kernel/events';
import type { ChangeListener, WatchFilter, Watcher, WatcherOptions } from './types';

/**
 * chokidar in polling mode: for network drives, containers and shared folders
 * where native events never arrive, and platforms without the native build.
 */
export async function startPollingWatcher(root: string, filter: WatchFilter, listener: ChangeListener, options: WatcherOptions): Promise<Watcher> {
  const chokidar = await import('chokidar');
  const usePolling = options.kind === 'polling';
  const watcher = chokidar.watch(root, {
    ignoreInitial: true,
    usePolling,
    interval: options.pollIntervalMs,
    binaryInterval: Math.max(options.pollIntervalMs, 1000),
    // Skip ignored directories (and whatever lies inside them) at the source; files are filtered on events.
    ignored: (p: string) => p !== root && filter.ignoresDir(p),
  });
  const emit = (kind: ChangedFile['kind']) => (p: string) => {
    if (filter.accepts(p)) listener([{ path: p, kind }]);
  };
  watcher.on('add', emit('create'));
  watcher.on('change', emit('update'));
  watcher.on('unlink', emit('delete'));
  watcher.on('error', (err: unknown) => options.onError(err instanceof Error ? err : new Error(String(err))));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    kind: 'polling',
    dispose() {
      void watcher.close();
    },
  };
}
