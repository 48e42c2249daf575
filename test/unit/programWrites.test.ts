/**
 * How the change feed tells the program's own writes from edits: a file a running version holds
 * open for writing (here, this test's own process) is learnt with its SQLite companions, and
 * stays learnt after it is closed; a file it only reads, and any file when nothing runs, count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProgramWrites } from '../../src/engine/session/intake/programWrites';
import { tempDir, writeFile } from '../support/files';

const update = (file: string) => ({ path: file, kind: 'update' as const });

test('a file open for writing is learnt with its companions; a file open for reading is not', { skip: !fs.existsSync('/proc/self/fdinfo') }, () => {
  const root = tempDir('hr-writes-');
  const db = writeFile(path.join(root, 'data', 'app.db'));
  const template = writeFile(path.join(root, 'page.html'), '<p>');
  const source = writeFile(path.join(root, 'main.go'), 'package main');
  const logs: string[] = [];
  let running = true;
  const writes = new ProgramWrites({ root, writers: () => (running ? [process.pid] : []), log: (m) => logs.push(m) });
  const written = fs.openSync(db, 'r+');
  const read = fs.openSync(template, 'r');
  try {
    const wal = `${db}-wal`;
    assert.deepEqual(
      writes.sift([update(wal), update(template), update(source)]).map((c) => path.basename(c.path)),
      ['page.html', 'main.go'],
    );
    assert.deepEqual(logs, [`ignoring changes to ${path.join('data', 'app.db')} (and its -wal, -shm and -journal files): the program writes it while it runs`]);
  } finally {
    fs.closeSync(written);
    fs.closeSync(read);
  }
  // Closed and nothing running: what was learnt stays learnt, the rest counts.
  running = false;
  assert.deepEqual(
    writes.sift([update(db), { path: `${db}-journal`, kind: 'delete' }, update(source)]).map((c) => path.basename(c.path)),
    ['main.go'],
  );
  assert.equal(logs.length, 1, 'a file is said once');
});
