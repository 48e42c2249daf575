import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessHost } from '../../src/engine/processes/processHost';
import type { Transport } from '../../src/engine/processes/transports/transport';

function fakeTransport(release: () => Promise<void>): Transport {
  return {
    kind: 'kubernetes',
    label: 'deployment/api',
    platform: () => Promise.resolve({ goos: 'linux', goarch: 'amd64' }),
    install: () => Promise.reject(new Error('not in this test')),
    start: () => {
      throw new Error('not in this test');
    },
    available: () => Promise.resolve(true),
    release,
  };
}

test('process host: stopping undoes what reaching the target changed; what cannot be undone is said, and the stop goes on', async () => {
  let released = 0;
  const logs: string[] = [];
  const host = new ProcessHost(
    (m) => logs.push(m),
    () => Promise.resolve(fakeTransport(() => Promise.resolve(void released++))),
    true,
  );
  await host.reach();
  await host.shutdown(100);
  assert.equal(released, 1);

  const failing = new ProcessHost(
    (m) => logs.push(m),
    () => Promise.resolve(fakeTransport(() => Promise.reject(new Error('deployments.apps "api" not found')))),
    true,
  );
  await failing.reach();
  await failing.shutdown(100);
  assert.deepEqual(logs, ['deployment/api: could not undo its changes: deployments.apps "api" not found']);

  const neverReached = new ProcessHost(
    () => undefined,
    () => Promise.reject(new Error('never asked')),
    true,
  );
  await neverReached.shutdown(100);
});
