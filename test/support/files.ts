/** Scratch folders and files for tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findUp } from '../../src/engine/kernel/findUp';

/** A new empty folder under the system temp dir, its path resolved through symlinks. */
export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Writes `text` to `file`, making its folder first; returns the file. */
export function writeFile(file: string, text = ''): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/**
 * A new empty folder that no folder above holds any of `files` in (a go.mod in /tmp would make
 * every temp folder part of a Go module): under the system temp dir, else another scratch place.
 * When every candidate has one above, the reason, for the test to skip with.
 */
export function tempDirOutsideProjects(prefix: string, files: readonly string[]): { dir: string } | { skip: string } {
  const above: string[] = [];
  for (const base of [os.tmpdir(), '/dev/shm', '/var/tmp', os.homedir()]) {
    let real: string;
    try {
      real = fs.realpathSync(base);
      fs.accessSync(real, fs.constants.W_OK);
    } catch {
      continue;
    }
    const project = findUp(real, files);
    if (project === undefined) return { dir: fs.realpathSync(fs.mkdtempSync(path.join(real, prefix))) };
    above.push(`${real} is in ${project}`);
  }
  return { skip: `every scratch folder is inside a project (${files.join(', ')}): ${above.join('; ')}` };
}
