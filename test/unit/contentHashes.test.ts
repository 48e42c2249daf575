/**
 * Content hashes decide whether a file event is a change. One write is often told twice at once
 * (the watcher's event and the editor's save): it must count once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContentHashes } from '../../src/engine/watch/contentHashes';
import { tempDir } from '../support/files';

test('one write told twice at once (watcher and save) is one change', async () => {
  const dir = tempDir('hr-hashes-');
  const file = path.join(dir, 'greeting.go');
  fs.writeFileSync(file, 'package main\n');
  const hashes = new ContentHashes();
  assert.deepEqual(await hashes.filterChanged([{ path: file, kind: 'update' }]), [{ path: file, kind: 'create' }]);

  fs.writeFileSync(file, 'package main\n\nfunc greeting() string { return "hi" }\n');
  const [fromWatcher, fromSave] = await Promise.all([
    hashes.filterChanged([{ path: file, kind: 'update' }]),
    hashes.filterChanged([{ path: file, kind: 'update' }]),
  ]);
  assert.equal(fromWatcher.length + fromSave.length, 1, JSON.stringify([fromWatcher, fromSave]));
  assert.deepEqual(await hashes.filterChanged([{ path: file, kind: 'update' }]), [], 'and nothing after');
});
