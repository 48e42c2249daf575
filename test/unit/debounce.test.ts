import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeDebouncer } from '../../src/engine/watch/debounce';
import type { ChangedFile } from '../../src/engine/kernel/events';
import { FakeClock } from '../support/fakeClock';

test('a burst of changes is delivered once, after the quiet period', async () => {
  const batches: ChangedFile[][] = [];
  const clock = new FakeClock();
  const d = new ChangeDebouncer(40, (changes) => batches.push(changes), clock);
  for (let i = 0; i < 10; i++) {
    d.add([{ path: `/p/f${i % 3}.go`, kind: 'update' }]);
    await clock.advance(5);
  }
  assert.equal(batches.length, 0, 'nothing while the burst goes on');
  await clock.advance(34);
  assert.equal(batches.length, 0, 'not before the quiet period after the last event');
  await clock.advance(1);
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0].map((c) => c.path).sort(), ['/p/f0.go', '/p/f1.go', '/p/f2.go']);
  d.dispose();
});

test('create then update stays a create; a later delete wins', async () => {
  const batches: ChangedFile[][] = [];
  const clock = new FakeClock();
  const d = new ChangeDebouncer(10, (changes) => batches.push(changes), clock);
  d.add([{ path: '/a.go', kind: 'create' }]);
  d.add([{ path: '/a.go', kind: 'update' }]);
  d.add([{ path: '/b.go', kind: 'update' }]);
  d.add([{ path: '/b.go', kind: 'delete' }]);
  await clock.advance(10);
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0], [
    { path: '/a.go', kind: 'create' },
    { path: '/b.go', kind: 'delete' },
  ]);
  d.dispose();
});

test('flush delivers at once and reports when the first event arrived', async () => {
  const got: { changes: ChangedFile[]; first: number }[] = [];
  const d = new ChangeDebouncer(10_000, (changes, first) => got.push({ changes, first }));
  d.add([{ path: '/a.go', kind: 'update' }], 1000);
  d.add([{ path: '/b.go', kind: 'update' }], 2000);
  d.flush();
  assert.equal(got.length, 1);
  assert.equal(got[0].first, 1000);
  d.flush();
  assert.equal(got.length, 1, 'an empty flush delivers nothing');
  d.dispose();
});

test('forget drops a path handled elsewhere (an editor save)', async () => {
  const got: ChangedFile[][] = [];
  const clock = new FakeClock();
  const d = new ChangeDebouncer(10, (changes) => got.push(changes), clock);
  d.add([{ path: '/a.go', kind: 'update' }]);
  d.forget('/a.go');
  await clock.advance(30);
  assert.equal(got.length, 0);
  d.dispose();
});
