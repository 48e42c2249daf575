import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SourceSnapshot } from '../../src/engine/session/reload/snapshot';
import { hashOf } from '../../src/engine/watch/contentHashes';
import { tempDir } from '../support/files';

function snap() {
  const dir = tempDir('hr-snap-');
  fs.mkdirSync(path.join(dir, 'snapshots'));
  return new SourceSnapshot(dir);
}
const put = (s: SourceSnapshot, file: string, text: string | undefined) =>
  s.recordChange(file, text === undefined ? undefined : Buffer.from(text), text === undefined ? undefined : hashOf(Buffer.from(text)));

test('a build marks its sources; later edits show as changes with line counts', () => {
  const s = snap();
  s.recordBaseline('/m/a.go', Buffer.from('one\ntwo\n'), hashOf(Buffer.from('one\ntwo\n')));
  assert.deepEqual(s.changes(), []);
  put(s, '/m/a.go', 'one\nTWO\nthree\n');
  const changes = s.changes();
  assert.equal(changes.length, 1);
  assert.deepEqual({ kind: changes[0].kind, added: changes[0].added, removed: changes[0].removed }, { kind: 'update', added: 2, removed: 1 });
  assert.equal(s.builtContent('/m/a.go')?.toString(), 'one\ntwo\n', 'old content still there for the diff');

  const built = s.markBuilt(s.pendingForBuild());
  assert.equal(built.length, 1);
  assert.deepEqual(s.changes(), [], 'nothing differs from the running version');
  assert.equal(s.builtContent('/m/a.go')?.toString(), 'one\nTWO\nthree\n');
});

test('a change reverted before the build is no change; creates and deletes are told apart', () => {
  const s = snap();
  s.recordBaseline('/m/a.go', Buffer.from('x\n'), hashOf(Buffer.from('x\n')));
  put(s, '/m/a.go', 'y\n');
  put(s, '/m/a.go', 'x\n');
  assert.deepEqual(s.changes(), []);
  put(s, '/m/new.go', 'package main\n');
  put(s, '/m/a.go', undefined);
  const kinds = Object.fromEntries(s.changes().map((c) => [path.basename(c.path), c.kind]));
  assert.deepEqual(kinds, { 'a.go': 'delete', 'new.go': 'create' });
});

test('edits made during a build stay pending after it', () => {
  const s = snap();
  s.recordBaseline('/m/a.go', Buffer.from('1\n'), hashOf(Buffer.from('1\n')));
  put(s, '/m/a.go', '2\n');
  const inBuild = s.pendingForBuild();
  put(s, '/m/a.go', '3\n');
  s.markBuilt(inBuild);
  assert.equal(s.builtContent('/m/a.go')?.toString(), '2\n');
  assert.equal(s.changes().length, 1, 'the edit after the build started still differs');
});

test('the store keeps only what the running version and the working tree need', () => {
  const s = snap();
  s.recordBaseline('/m/a.go', Buffer.from('v0\n'), hashOf(Buffer.from('v0\n')));
  for (let i = 1; i <= 50; i++) {
    put(s, '/m/a.go', `v${i}\n`);
    s.markBuilt(s.pendingForBuild());
  }
  assert.equal(s.storedCount, 1, 'one copy: the running version, which is also the working tree');
  put(s, '/m/a.go', 'edited\n');
  assert.equal(s.storedCount, 2);
  assert.equal(s.builtContent('/m/a.go')?.toString(), 'v50\n');
});

test('a large file is tracked by its hash: listed as changed, never copied', () => {
  const s = snap();
  s.recordBaseline('/m/big.html', undefined, 'hash-1');
  s.recordChange('/m/big.html', undefined, 'hash-2');
  assert.deepEqual(s.changes(), [{ path: '/m/big.html', kind: 'update', added: 0, removed: 0, large: true }]);
  assert.equal(s.builtContent('/m/big.html'), undefined);
  assert.equal(s.storedCount, 0);
});

test("the editor's unsaved text is compared instead of the file under it, and says so", () => {
  const s = snap();
  s.recordBaseline('/m/a.go', Buffer.from('one\ntwo\n'), hashOf(Buffer.from('one\ntwo\n')));
  s.recordBaseline('/m/b.go', Buffer.from('b\n'), hashOf(Buffer.from('b\n')));
  // A dirty editor over an unchanged file: a change, from the unsaved text.
  assert.deepEqual(s.changes(new Map([['/m/a.go', 'one\nTWO\n']])), [{ path: '/m/a.go', kind: 'update', added: 1, removed: 1, unsaved: true }]);
  // A saved edit, then the editor's text put back as the running version has it: no change.
  put(s, '/m/b.go', 'b2\n');
  assert.deepEqual(s.changes(new Map([['/m/b.go', 'b\n']])), []);
  assert.deepEqual(
    s.changes().map((c) => [c.path, c.unsaved]),
    [['/m/b.go', undefined]],
    'without the editor text, the saved file',
  );
  // An unsaved new file the running version never had.
  assert.deepEqual(s.changes(new Map([['/m/c.go', 'x\ny\n']]))[1], { path: '/m/c.go', kind: 'create', added: 2, removed: 0, unsaved: true });
});
