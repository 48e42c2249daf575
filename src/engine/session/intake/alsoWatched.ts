import type { Disposable } from '../../kernel/disposable';
import { isInside } from '../../kernel/paths';
import type { ChangedFile } from '../../kernel/events';
import type { Settings } from '../../settings/types';
import type { ContentHashes } from '../../watch/contentHashes';
import { createPathFilter, type PathFilter } from '../../watch/filter';
import { TreeScan } from '../../watch/treeScan';
import { startWatcher, type Watcher } from '../../watch/watcher';

/** One folder outside the project folder, watched beside it. */
interface Tree {
  root: string;
  filter: PathFilter;
  scan: TreeScan;
  watcher?: Watcher;
}

/**
 * The folders of `alsoWatch` (a Go workspace's other modules): each watched like the project folder,
 * with the same extensions, gitignore and built-in exclusions (the include and exclude globs are
 * the project folder's own, relative to it, so they do not apply here). Their changes join the
 * project folder's in the change feed.
 */
export class AlsoWatched implements Disposable {
  private readonly trees: Tree[];
  private disposed = false;

  constructor(private readonly settings: Settings) {
    this.trees = settings.alsoWatch.map((root) => {
      const filter = createPathFilter({ ...settings, root, include: [], exclude: [], excludeRegex: [], alwaysInclude: [] });
      return { root, filter, scan: new TreeScan(root, filter) };
    });
  }

  /** Whether this file is in one of the folders and counts there. */
  accepts(file: string): boolean {
    return this.trees.some((tree) => tree.filter.accepts(file));
  }

  acceptAlso(files: readonly string[]): void {
    for (const tree of this.trees) tree.filter.acceptAlso(files);
  }

  async start(listener: (changes: ChangedFile[]) => void, log: (message: string) => void): Promise<void> {
    for (const tree of this.trees) {
      if (this.disposed || tree.watcher) continue;
      try {
        tree.watcher = await startWatcher(tree.root, tree.filter, listener, {
          kind: this.settings.watcher,
          pollIntervalMs: this.settings.pollIntervalMs,
          onError: (err) => log(`file watcher of ${tree.root} failed: ${err.message}`),
        });
      } catch (err) {
        log(`cannot watch ${tree.root}: ${(err as Error).message}`);
        continue;
      }
      if (this.disposed) tree.watcher.dispose();
      else log(`also watching ${tree.root} (${this.settings.alsoWatch.length === 1 ? 'alsoWatch' : 'one of alsoWatch'}: a folder the build reads)`);
    }
  }

  async baseline(hashes: ContentHashes, onFile: (file: string, content: Buffer | undefined, hash: string) => void): Promise<void> {
    for (const tree of this.trees) await hashes.baseline(tree.root, tree.filter, onFile);
  }

  /** What changed in the folders since `known` (a catch-up's tree read). */
  async changedSince(known: readonly string[]): Promise<ChangedFile[]> {
    const changes: ChangedFile[] = [];
    for (const tree of this.trees) {
      const { maybeChanged, gone } = await tree.scan.changedSince(known.filter((file) => isInside(tree.root, file)));
      changes.push(...maybeChanged.map((f) => ({ path: f, kind: 'update' as const })), ...gone.map((f) => ({ path: f, kind: 'delete' as const })));
    }
    return changes;
  }

  dispose(): void {
    this.disposed = true;
    for (const tree of this.trees) tree.watcher?.dispose();
  }
}
