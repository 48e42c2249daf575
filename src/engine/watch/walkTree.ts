import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WatchFilter } from './types';

/**
 * Visits every file under root that the filter accepts, one at a time, skipping the directories it
 * ignores; a directory that cannot be read (gone meanwhile, no permission) is passed over.
 */
export async function walkAccepted(root: string, filter: WatchFilter, onFile: (file: string) => Promise<void>): Promise<void> {
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
      } else if (entry.isFile() && filter.accepts(full)) {
        await onFile(full);
      }
    }
  };
  await walk(root);
}
