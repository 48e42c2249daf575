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

/** Whether `command --version` runs (a C compiler for cgo, say). */
export function commandAvailable(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A private copy of examples/<name> (into `into`, or a new temp folder), so a test can edit it
 * freely; an engine work dir (.hotreload) or node_modules left in the example is not copied. Its go.mod's relative
 * `replace` paths (to go/hotreload) are made absolute so the copy builds where it lands;
 * HR_GO_HOTRELOAD_DIR builds against another copy of the Go package (to try a change to it).
 */
export function copyExample(name: string, into?: string): string {
  const dir = into ?? tempDir(`hr-${name}-`);
  fs.cpSync(path.join(repoRoot, 'examples', name), dir, { recursive: true, filter: (src) => !/[\\/](\.hotreload|node_modules)([\\/]|$)/.test(src) });
  const goMod = path.join(dir, 'go.mod');
  if (fs.existsSync(goMod)) {
    const override = process.env.HR_GO_HOTRELOAD_DIR;
    const text = fs.readFileSync(goMod, 'utf8');
    const rewritten = text.replace(/^(replace\s+(\S+)\s+=>\s+)(\.\.?\/\S*)\s*$/gm, (_m, head: string, mod: string, rel: string) =>
      override && mod === 'hotreload.dev/go/hotreload' ? `${head}${path.resolve(override)}` : `${head}${path.resolve(repoRoot, 'examples', name, rel)}`,
    );
    if (rewritten !== text) fs.writeFileSync(goMod, rewritten);
  }
  return dir;
}
