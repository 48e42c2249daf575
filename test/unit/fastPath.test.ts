import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAST_PATH_DIR_LIMIT, startFastPath } from '../../src/engine/watch/fastPath';
import type { ChangedFile } from '../../src/engine/kernel/events';
import { tempDir } from '../support/files';
import { eventually } from '../support/waiting';

const filter = { accepts: (p: string) => p.endsWith('.go'), ignoresDir: () => false, ignoreGlobs: () => [] };

test('reports saves of accepted files in the watched directories, and nothing else', async () => {
  const dir = tempDir('hr-fast-');
  const seen: ChangedFile[] = [];
  const fast = startFastPath([dir], filter, (c) => seen.push(...c));
  assert.ok(fast);
  try {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n');
    await eventually('the save to be seen', () => seen.some((c) => c.path === path.join(dir, 'main.go')), { timeoutMs: 2000, intervalMs: 5 });
  } finally {
    fast.dispose();
  }
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
