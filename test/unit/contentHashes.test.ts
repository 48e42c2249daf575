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

test('a save the first scan read before its event came is a change; a save with no edit of an older file is not', async () => {
  const dir = tempDir('hr-hashes-');
  const older = path.join(dir, 'older.go');
  const saved = path.join(dir, 'saved.go');
  fs.writeFileSync(older, 'package main\n');
  fs.writeFileSync(saved, 'package main\n');
  const anHourAgo = new Date(Date.now() - 3_600_000);
  fs.utimesSync(older, anHourAgo, anHourAgo);
  fs.utimesSync(saved, anHourAgo, anHourAgo);
  const hashes = new ContentHashes();
  const filter = { accepts: () => true, ignoresDir: () => false, ignoreGlobs: () => [] };
  const scan = hashes.baseline(dir, filter);
  // The user saves while the scan runs, and the scan reads the saved content before the event is told.
  fs.writeFileSync(saved, 'package main\n\nfunc saved() {}\n');
  await scan;
  fs.writeFileSync(older, 'package main\n'); // a save with no edit
  assert.deepEqual(await hashes.filterChanged([{ path: saved, kind: 'update' }]), [{ path: saved, kind: 'update' }]);
  assert.deepEqual(await hashes.filterChanged([{ path: older, kind: 'update' }]), []);
  assert.deepEqual(await hashes.filterChanged([{ path: saved, kind: 'update' }]), [], 'its next event with the same content is none');
});

test('a read of the tree (a catch-up) counts only a real content change, even for a file written as the first scan ran', async () => {
  const dir = tempDir('hr-hashes-');
  const copied = path.join(dir, 'copied.go');
  const edited = path.join(dir, 'edited.go');
  fs.writeFileSync(copied, 'package main\n');
  fs.writeFileSync(edited, 'package main\n');
  const hashes = new ContentHashes();
  const filter = { accepts: () => true, ignoresDir: () => false, ignoreGlobs: () => [] };
  await hashes.baseline(dir, filter); // both files are newer than the scan's start: copied in just before it
  fs.writeFileSync(edited, 'package main\n\nfunc edited() {}\n');
  const changes = [
    { path: copied, kind: 'update' as const },
    { path: edited, kind: 'update' as const },
  ];
  assert.deepEqual(await hashes.filterChanged(changes, undefined, true), [{ path: edited, kind: 'update' }]);
});
