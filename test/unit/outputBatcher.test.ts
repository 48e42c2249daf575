import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutputBatcher } from '../../src/server/outputBatcher';

test('many writes become few batches', async () => {
  const batches: { data: string; dropped: number }[] = [];
  const b = new OutputBatcher((data, dropped) => (batches.push({ data, dropped }), Promise.resolve()), 20, 4 << 20);
  for (let i = 0; i < 100000; i++) b.push(`line ${i}\n`);
  await sleep(50);
  assert.equal(batches.length, 1);
  assert.ok(batches[0].data.startsWith('line 0\n'));
  assert.ok(batches[0].data.endsWith('line 99999\n'));
  b.dispose();
});

test('past the cap the oldest output is dropped and counted', () => {
  const batches: { data: string; dropped: number }[] = [];
  const b = new OutputBatcher((data, dropped) => (batches.push({ data, dropped }), Promise.resolve()), 1000, 100);
  for (let i = 0; i < 50; i++) b.push('0123456789');
  b.flush();
  assert.equal(batches.length, 1);
  assert.equal(batches[0].data.length, 100);
  assert.equal(batches[0].dropped, 400);
  b.push('x'.repeat(250));
  b.flush();
  assert.equal(batches[1].data.length, 100);
  assert.equal(batches[1].dropped, 150);
});
