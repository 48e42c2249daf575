/** The repository and its example programs, for tests and benchmarks that run them. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './files';

/** The repository root (this file runs from out/test/support). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

let goFound: boolean | undefined;

/** Whether a Go toolchain is on the PATH (asked once). */
export function goAvailable(): boolean {
  if (goFound === undefined) {
    try {
      execFileSync('go', ['version'], { stdio: 'ignore' });
      goFound = true;
    } catch {
      goFound = false;
    }
  }
  return goFound;
}

/**
 * A private copy of examples/<name> (into `into`, or a new temp folder), so a test can edit it
 * freely; an engine work dir (.hotreload) left in the example is not copied.
 */
export function copyExample(name: string, into?: string): string {
  const dir = into ?? tempDir(`hr-${name}-`);
  fs.cpSync(path.join(repoRoot, 'examples', name), dir, { recursive: true, filter: (src) => !/[\\/]\.hotreload([\\/]|$)/.test(src) });
  return dir;
}
