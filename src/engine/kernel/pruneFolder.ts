import * as fs from 'node:fs';
import * as path from 'node:path';

/** Removes every entry of `dir` but those in `keep` (full paths); a folder that cannot be read is left as it is. */
export function pruneFolder(dir: string, keep: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    if (!keep.has(full)) fs.rmSync(full, { recursive: true, force: true });
  }
}
