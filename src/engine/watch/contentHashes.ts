import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChangedFile } from '../kernel/events';
import type { WatchFilter } from './types';

/**
 * Remembers a hash of each watched file's content so that a save with no edit,
 * or a checkout that rewrites a file with the same bytes, does not rebuild.
 */
export class ContentHashes {
  private hashes = new Map<string, string>();
  private baselineDone = false;

  /** Hashes every accepted file under root, skipping ignored directories. Runs once, in the background. */
  async baseline(root: string, filter: WatchFilter, onFile?: (file: string, content: Buffer, hash: string) => void): Promise<number> {
    let count = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!filter.ignoresDir(full)) await walk(full);
        } else if (entry.isFile() && filter.accepts(full) && !this.hashes.has(full)) {
          try {
            const content = await fs.promises.readFile(full);
            const hash = hashOf(content);
            // A change event may have recorded a newer hash while we were reading.
            if (!this.hashes.has(full)) {
              this.hashes.set(full, hash);
              onFile?.(full, content, hash);
            }
            count++;
          } catch {
            /* vanished while walking */
          }
        }
      }
    };
    await walk(root);
    this.baselineDone = true;
    return count;
  }

  get ready(): boolean {
    return this.baselineDone;
  }

  /**
   * Keeps only the changes whose content really differs from what was last
   * seen, and records the new hashes. A file never seen before counts as changed.
   */
  async filterChanged(
    changes: ChangedFile[],
    onChanged?: (file: string, content: Buffer | undefined, hash: string | undefined) => void,
  ): Promise<ChangedFile[]> {
    const real: ChangedFile[] = [];
    for (const change of changes) {
      const previous = this.hashes.get(change.path);
      let content: Buffer | undefined;
      try {
        content = await fs.promises.readFile(change.path);
      } catch {
        content = undefined; // deleted, or a directory
      }
      if (content === undefined) {
        if (previous !== undefined || change.kind === 'delete') {
          this.hashes.delete(change.path);
          real.push({ path: change.path, kind: 'delete' });
          onChanged?.(change.path, undefined, undefined);
        }
        continue;
      }
      const current = hashOf(content);
      if (current !== previous) {
        this.hashes.set(change.path, current);
        real.push({ path: change.path, kind: previous === undefined ? 'create' : 'update' });
        onChanged?.(change.path, content, current);
      }
    }
    return real;
  }

  hashOf(file: string): string | undefined {
    return this.hashes.get(file);
  }
}

export function hashOf(content: Buffer): string {
  return crypto.createHash('sha1').update(content).digest('hex');
}
