/**
 * The tree scan a catch-up (`hotreload wait`) makes: every accepted file the first time, then only
 * those whose size, times or inode changed, those written so recently that a rewrite in the same
 * clock tick could hide, and those that are gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TreeScan } from '../../src/engine/watch/treeScan';
import { tempDir, writeFile } from '../support/files';

const filter = {
  accepts: (file: string) => file.endsWith('.go'),
  ignoresDir: (dir: string) => path.basename(dir) === 'vendor',
  ignoreGlobs: () => [],
};

/** Sets a file's times well in the past, as a file nobody touched lately has them. */
function age(file: string): void {
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(file, past, past);
}

test('first every accepted file, then only what changed, is recent, or is gone', async () => {
  const root = tempDir('hr-scan-');
  const a = writeFile(path.join(root, 'a.go'), 'a');
  const b = writeFile(path.join(root, 'pkg', 'b.go'), 'b');
  writeFile(path.join(root, 'notes.md'), 'not accepted');
  writeFile(path.join(root, 'vendor', 'v.go'), 'in an ignored folder');
  age(a);
  age(b);
  const scan = new TreeScan(root, filter);
  assert.deepEqual((await scan.changedSince()).maybeChanged.sort(), [a, b]);
  assert.deepEqual(await scan.changedSince(), { maybeChanged: [], gone: [] }, 'nothing changed, nothing recent');

  fs.writeFileSync(a, 'a, longer');
  age(a);
  assert.deepEqual(await scan.changedSince(), { maybeChanged: [a], gone: [] }, 'a new size');

  fs.writeFileSync(b, 'c'); // same size: its times tell, and it is recent
  assert.deepEqual((await scan.changedSince()).maybeChanged, [b]);
  assert.deepEqual((await scan.changedSince()).maybeChanged, [b], 'still recent: looked at again');

  fs.rmSync(a);
  const c = writeFile(path.join(root, 'c.go'), 'c');
  const next = await scan.changedSince([path.join(root, 'known-elsewhere.go')]);
  assert.deepEqual(next.maybeChanged.sort(), [b, c].sort());
  assert.deepEqual(next.gone.sort(), [a, path.join(root, 'known-elsewhere.go')].sort());
});
