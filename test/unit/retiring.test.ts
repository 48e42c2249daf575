import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Retiring } from '../../src/engine/strategies/retiring';

test('Retiring: settle waits for every drain, including ones added meanwhile; failures are reported, not thrown', async () => {
  const r = new Retiring();
  const order: string[] = [];
  const errors: unknown[] = [];
  r.track(new Promise<void>((resolve) => setTimeout(() => (order.push('a'), resolve()), 20)));
  r.track(Promise.reject(new Error('boom')), (err) => errors.push(err));
  setTimeout(() => r.track(new Promise<void>((resolve) => setTimeout(() => (order.push('b'), resolve()), 30))), 10);
  assert.equal(r.count, 2);
  await sleep(12);
  await r.settle();
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(r.count, 0);
  assert.equal((errors[0] as Error).message, 'boom');
});
