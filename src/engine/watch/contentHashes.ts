import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { ChangedFile } from '../kernel/events';
import type { WatchFilter } from './types';
import { walkAccepted } from './walkTree';

/** Files larger than this are hashed as a stream and never held in memory or copied whole. */
const LARGE_FILE_BYTES = 1024 * 1024;
/** How far behind the wall clock a file's modification time can be (Linux stamps files with a tick-granular clock). */
const COARSE_FILE_CLOCK_MS = 20;

/** A file's hash, and its content when it is small enough to keep (undefined: large, or gone). */
async function readAndHash(file: string): Promise<{ hash: string; content: Buffer | undefined; mtimeMs: number } | undefined> {
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return undefined;
    if (stat.size <= LARGE_FILE_BYTES) {
      const content = await fs.promises.readFile(file);
      return { hash: hashOf(content), content, mtimeMs: stat.mtimeMs };
    }
    const hash = crypto.createHash('sha1');
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return { hash: hash.digest('hex'), content: undefined, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * Remembers a hash of each watched file's content so that a save with no edit,
 * or a checkout that rewrites a file with the same bytes, does not rebuild.
 */
export class ContentHashes {
  private hashes = new Map<string, string>();
  /**
   * Files the baseline read after they were written during its scan: the hash it holds may be of a
   * save whose event is still to come, so that event is a change even when the content matches.
   */
  private readonly writtenDuringScan = new Set<string>();

  /** Hashes every accepted file under root, skipping ignored directories. Runs once, in the background. */
  async baseline(root: string, filter: WatchFilter, onFile?: (file: string, content: Buffer | undefined, hash: string) => void): Promise<number> {
    let count = 0;
    // File times come from the kernel's coarse clock (a tick behind the wall clock at most).
    const scanStartedMs = Date.now() - COARSE_FILE_CLOCK_MS;
    await walkAccepted(root, filter, async (full) => {
      if (this.hashes.has(full)) return;
      const read = await readAndHash(full);
      // A change event may have recorded a newer hash while we were reading.
      if (read && !this.hashes.has(full)) {
        this.hashes.set(full, read.hash);
        if (read.mtimeMs >= scanStartedMs) this.writtenDuringScan.add(full);
        onFile?.(full, read.content, read.hash);
        count++;
      }
    });
    return count;
  }

  /**
   * Keeps only the changes whose content really differs from what was last
   * seen, and records the new hashes. A file never seen before counts as changed.
   * `onChanged` gets the new content, or undefined for a deleted or a large file (its hash says which).
   * `treeRead`: the changes come from reading the tree, not from events; only a real content change
   * counts then (a file copied in just before the baseline is not a save racing it).
   */
  async filterChanged(
    changes: ChangedFile[],
    onChanged?: (file: string, content: Buffer | undefined, hash: string | undefined) => void,
    treeRead = false,
  ): Promise<ChangedFile[]> {
    const real: ChangedFile[] = [];
    for (const change of changes) {
      const read = await readAndHash(change.path);
      // Taken after the read: another call (the watcher's event and the editor's save of one write)
      // may have recorded this very content meanwhile, and it is one change, not two.
      const previous = this.hashes.get(change.path);
      const savedDuringScan = !treeRead && this.writtenDuringScan.delete(change.path);
      if (read === undefined) {
        // deleted, or a directory
        if (previous !== undefined || change.kind === 'delete') {
          this.hashes.delete(change.path);
          real.push({ path: change.path, kind: 'delete' });
          onChanged?.(change.path, undefined, undefined);
        }
        continue;
      }
      if (read.hash !== previous || savedDuringScan) {
        this.hashes.set(change.path, read.hash);
        real.push({ path: change.path, kind: previous === undefined ? 'create' : 'update' });
        onChanged?.(change.path, read.content, read.hash);
      }
    }
    return real;
  }

  /** Every file with a known hash. */
  files(): string[] {
    return [...this.hashes.keys()];
  }
}

export function hashOf(content: Buffer): string {
  return crypto.createHash('sha1').update(content).digest('hex');
}
