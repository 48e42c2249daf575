/**
 * Rollback under load, for both zero-downtime strategies: a version that panics on start and one
 * that never becomes ready are stopped while the serving version goes on answering, and a good
 * version after them takes over as usual. The strategies differ only in how they see "ready" and
 * how soon the new version serves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { prebuiltSession } from './zeroDowntime';
import { httpGet } from '../support/http';
import { Load } from '../support/load';
import { eventually } from '../support/waiting';

const cases: {
  strategy: 'handoff' | 'proxy';
  /** What the variant that hangs on start fails to do. */
  neverReady: string;
  /** What the rollback of that variant says. */
  hangMessages: RegExp[];
  /** Whether the very next request after a switch goes to the new version (the proxy's switch is atomic). */
  switchesAtOnce: boolean;
}[] = [
  {
    strategy: 'handoff',
    neverReady: 'never becomes ready',
    hangMessages: [/v3 did not report ready within 1500 ms, so it was stopped; v1 keeps serving/, /hotreload\.Ready\(\)/],
    switchesAtOnce: false,
  },
  {
    strategy: 'proxy',
    neverReady: 'never listens',
    hangMessages: [/v3 did not accept connections on port \d+ \(the PORT it was given\) within 1500 ms, so it was stopped; v1 keeps serving/],
    switchesAtOnce: true,
  },
];

for (const { strategy, neverReady, hangMessages, switchesAtOnce } of cases) {
  test(`${strategy}: a version that panics on start and one that ${neverReady} are rolled back, with no failed request`, async () => {
    const { bins, ws, port, t } = await prebuiltSession(strategy, { readyTimeoutMs: 1500, drainTimeoutMs: 2000 });
    let load: Load | undefined;
    try {
      await t.session.start();
      const pid1 = (await t.report(1)).pid!;
      load = new Load(port, { fresh: 2, keepAlive: 2, pauseMs: 5 });
      await sleep(200);

      ws.install(bins.panic);
      t.session.restart();
      const panicked = await t.report(2);
      assert.equal(panicked.outcome, 'rolled-back');
      assert.match(panicked.message ?? '', /v2 exited with status 2 before it was ready; v1 keeps serving/);
      const diagnostic = await eventually('panic diagnostic', () => t.lastDiagnostics().find((d) => d.source === 'panic'));
      assert.match(diagnostic.message, /assignment to entry in nil map/);
      assert.equal(t.session.currentState, 'running');
      assert.equal(t.session.currentProgram?.pid, pid1);

      ws.install(bins.hang);
      t.session.restart();
      const hung = await t.report(3);
      assert.equal(hung.outcome, 'rolled-back');
      for (const message of hangMessages) assert.match(hung.message ?? '', message);
      assert.equal(t.session.currentProgram?.pid, pid1);

      // And a good version after them hands off as usual.
      ws.install(bins.b);
      t.session.restart();
      const good = await t.report(4);
      assert.equal(good.outcome, 'handed-off', good.message);
      if (switchesAtOnce) assert.equal((await httpGet(port, '/')).body, 'version B');
      else await eventually('version B serves', async () => (await httpGet(port, '/')).body === 'version B');
      await sleep(200);
      const result = await load.stop();
      load = undefined;
      console.log(`${strategy} rollbacks: ${result.ok} requests ok, ${result.failed} failed, ${result.retried} keep-alive retries`);
      assert.equal(result.failed, 0, `failed requests:\n${result.errors.join('\n')}`);
      assert.deepEqual([...result.pids].sort(), [pid1, good.pid!].sort(), 'only v1 and v4 ever answered');
    } finally {
      await load?.stop();
      await t.dispose();
    }
  });
}
