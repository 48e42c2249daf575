/** A `go` first on the PATH that runs some shell first, for tests that watch or slow down builds. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './files';

/** Runs `body` with a `go` first on the PATH that runs `shellBefore`, then the real go. */
export async function withWrappedGo(shellBefore: string, body: () => Promise<void>): Promise<void> {
  const bin = tempDir('hr-go-');
  fs.writeFileSync(path.join(bin, 'go'), `#!/bin/sh\n${shellBefore}\nexec "${findOnPath('go')}" "$@"\n`, { mode: 0o755 });
  const saved = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${saved}`;
  try {
    await body();
  } finally {
    process.env.PATH = saved;
  }
}

export function findOnPath(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const full = path.join(dir, name);
    if (fs.existsSync(full)) return fs.realpathSync(full);
  }
  throw new Error(`${name} not on PATH`);
}
