import * as fs from 'node:fs';
import type { WatchFilter } from './types';
import { walkAccepted } from './walkTree';

/**
 * A file whose modification time is this close to the moment it was looked at may be written
 * again within the same clock tick without its time changing (file systems stamp with a coarse
 * clock): such a "racy" file is read again on the next scan, as git does with its index.
 */
const RACY_MS = 2000;

interface Seen {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** When it was looked at (ms since epoch). */
  at: number;
}

/**
 * Which files under a root may differ from when they were last looked at, found by walking the
 * tree now (never from a watcher's events): a file new to the scan, one whose size, times or inode
 * changed, one that was racy, and one that is gone. Cheap to repeat on a large tree, since only
 * those need reading; the caller compares their content.
 */
export class TreeScan {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly root: string,
    private readonly filter: WatchFilter,
  ) {}

  /**
   * The accepted files that may have changed since the last scan, and those that are gone: seen
   * by an earlier scan, or among `known` (files the caller knows of another way), and not found now.
   */
  async changedSince(known: Iterable<string> = []): Promise<{ maybeChanged: string[]; gone: string[] }> {
    const now = Date.now();
    const found = new Set<string>();
    const maybeChanged: string[] = [];
    await walkAccepted(this.root, this.filter, async (full) => {
      let stat: fs.Stats;
      try {
        stat = await fs.promises.stat(full);
      } catch {
        return; // gone meanwhile: the next scan says so
      }
      found.add(full);
      const before = this.seen.get(full);
      const seen: Seen = { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, at: now };
      if (!before || !sameStat(before, seen) || before.mtimeMs >= before.at - RACY_MS) maybeChanged.push(full);
      this.seen.set(full, seen);
    });
    const gone = [...new Set([...this.seen.keys(), ...known])].filter((file) => !found.has(file));
    for (const file of gone) this.seen.delete(file);
    return { maybeChanged, gone };
  }
}

function sameStat(a: Seen, b: Seen): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}
