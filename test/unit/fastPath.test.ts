import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAST_PATH_DIR_LIMIT, startFastPath } from '../../src/engine/watch/fastPath';
import type { ChangedFile } from '../../src/engine/kernel/events';

const filter = { accepts: (p: string) => p.endsWith('.go'), ignoresDir: () => false, ignoreGlobs: () => [] };

test('reports saves of accepted files in the watched directories, and nothing else', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-fast-'));
  const seen: ChangedFile[] = [];
  const fast = startFastPath([dir], filter, (c) => seen.push(...c));
  assert.ok(fast);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n');
  const deadline = Date.now() + 2000;
  while (!seen.some((c) => c.path === path.join(dir, 'main.go')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  fast.dispose();
  assert.ok(
    seen.some((c) => c.path === path.join(dir, 'main.go')),
    'the save was seen',
  );
  assert.ok(!seen.some((c) => c.path.endsWith('notes.txt')), 'filtered files are not');
});

test('large trees are left to the native watcher', () => {
  const dirs = Array.from({ length: FAST_PATH_DIR_LIMIT + 1 }, (_, i) => `/nonexistent/${i}`);
  assert.equal(
    startFastPath(dirs, filter, () => undefined),
    undefined,
  );
  assert.equal(
    startFastPath([], filter, () => undefined),
    undefined,
  );
});
