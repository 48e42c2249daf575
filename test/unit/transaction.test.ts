import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildGroup } from '../../src/engine/languages';
import { Transaction } from '../../src/engine/system/transaction';

class CountingGroup implements BuildGroup {
  readonly expected: number[] = [];
  expect(count: number): void {
    this.expected.push(count);
  }
}

test('a transaction lets its members deploy once all have built, one after the other in order', async () => {
  const group = new CountingGroup();
  const tx = new Transaction([
    { name: 'api', group },
    { name: 'worker', group },
  ]);
  assert.deepEqual(group.expected, [2]);
  const order: string[] = [];
  const api = tx.arrive('api', true).then((pass) => {
    order.push('api may deploy');
    return pass;
  });
  assert.deepEqual(group.expected, [2, 1], 'the group waits for the build still to come');
  await new Promise((r) => setImmediate(r));
  assert.equal(order.length, 0, 'nobody deploys before every build ended');
  const worker = tx.arrive('worker', true).then((pass) => {
    order.push('worker may deploy');
    return pass;
  });
  const apiPass = await api;
  assert.ok(apiPass.deploy);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['api may deploy'], 'the worker waits for the api to switch');
  apiPass.deployed(true);
  tx.finished('api');
  const workerPass = await worker;
  assert.ok(workerPass.deploy);
  workerPass.deployed(true);
  tx.finished('worker');
  await tx.done;
  assert.deepEqual(tx.switched, ['api', 'worker']);
});

test('when one member fails to build none deploys; a member that builds nothing holds nobody up', async () => {
  const tx = new Transaction([
    { name: 'api', group: undefined },
    { name: 'worker', group: undefined },
    { name: 'idle', group: undefined },
  ]);
  tx.finished('idle');
  const api = tx.arrive('api', true);
  const worker = tx.arrive('worker', false);
  const [a, w] = await Promise.all([api, worker]);
  assert.deepEqual(a, { deploy: false, why: 'worker failed to build, and the services a change affects switch together' });
  assert.equal(w.deploy, false);
  tx.finished('api');
  tx.finished('worker');
  await tx.done;
  assert.deepEqual(tx.failed, ['worker']);
  assert.deepEqual(tx.switched, []);
});

test('at a first start a failed build does not keep the others from starting', async () => {
  const tx = new Transaction(
    [
      { name: 'api', group: undefined },
      { name: 'worker', group: undefined },
    ],
    false,
  );
  const [a, w] = await Promise.all([tx.arrive('api', true), tx.arrive('worker', false)]);
  assert.equal(a.deploy, true);
  assert.equal(w.deploy, false);
});

test('a member that fails to start stops the ones after it, and the ones before it are switched back', async () => {
  const tx = new Transaction([
    { name: 'api', group: undefined },
    { name: 'worker', group: undefined },
    { name: 'gateway', group: undefined },
  ]);
  const reverted: string[] = [];
  const passes = [tx.arrive('api', true), tx.arrive('worker', true), tx.arrive('gateway', true)];
  const api = await passes[0];
  assert.ok(api.deploy);
  api.deployed(true, (why) => {
    reverted.push(`api: ${why}`);
    return Promise.resolve();
  });
  tx.finished('api');
  const worker = await passes[1];
  assert.ok(worker.deploy);
  worker.deployed(false);
  tx.finished('worker');
  assert.deepEqual(await passes[2], { deploy: false, why: 'worker failed to start, and the services a change affects switch together' });
  tx.finished('gateway');
  await tx.done;
  assert.equal(tx.startFailed, 'worker');
  await tx.revert();
  assert.deepEqual(reverted, ['api: worker failed to start, and the services a change affects switch together']);
  assert.deepEqual(tx.switched, []);
});
