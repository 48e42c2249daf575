/**
 * Node programs with no code change: 50 handoffs and 50 live patches under a steady load of fresh
 * and keep-alive clients lose no request; patches keep every kept value in one process; what cannot
 * be swapped (other server options, an exception while loading) falls back to a handoff with the
 * reason; the old version's timers stop; a cap on patches ends in a clean handoff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSession, type TestSession } from './harness';
import type { PartialSettings } from '../../src/engine';
import { groupMembers } from '../../src/engine/processes/processTree';
import { httpGet } from '../support/http';
import { Load } from '../support/load';
import { copyNodeExample, setNodeGreeting, type NodeExample } from '../support/nodeExamples';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

const RELOADS = 50;

/** GET / over `agent` (a kept-alive connection); undefined when the connection was closed under it. */
function getOver(agent: http.Agent, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body.trim()));
      })
      .on('error', () => resolve(undefined));
  });
}

async function startNode(example: NodeExample, layer: PartialSettings): Promise<{ dir: string; port: number; t: TestSession; pid: number }> {
  const dir = copyNodeExample(example);
  const { t, port, first } = await startSession(dir, { drainTimeoutMs: 3000, readyTimeoutMs: 5000, ...layer });
  try {
    assert.equal(first.outcome, 'started', first.message);
    assert.equal(t.session.strategy.name, layer.strategy);
    return { dir, port, t, pid: first.pid! };
  } catch (err) {
    await t.dispose();
    throw err;
  }
}

for (const strategy of ['handoff', 'patch'] as const) {
  test(`node ${strategy}: ${RELOADS} reloads of a TypeScript service under load lose no request`, async () => {
    const { dir, port, t, pid } = await startNode('node-ts', { strategy, patchLimit: 100 });
    const pids = [pid];
    const slows: Promise<{ expectedPid: number; body: string }>[] = [];
    // A browser-like client that keeps its connection: after a handoff it must reach the new version at once,
    // not the old one until its drain deadline (the old version closes idle connections when it drains).
    const browser = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let load: Load | undefined;
    try {
      assert.equal((await httpGet(port)).body, 'hello from TypeScript', 'ready means serving');
      let visits = Number((await httpGet(port, '/visits')).body);
      load = new Load(port, { fresh: 2, keepAlive: 2, pauseMs: 5 });
      await sleep(100);
      for (let i = 1; i <= RELOADS; i++) {
        const servingPid = pids[pids.length - 1];
        slows.push(
          httpGet(port, '/slow?ms=300').then(
            (r) => ({ expectedPid: servingPid, body: r.body }),
            (err: Error) => ({ expectedPid: servingPid, body: err.message }),
          ),
        );
        await getOver(browser, port);
        await sleep(20);
        setNodeGreeting(dir, `version ${i}`);
        const report = await t.report(i + 1);
        if (strategy === 'handoff') {
          assert.equal(report.outcome, 'handed-off', `reload ${i}: ${report.message}`);
          assert.ok(report.pid && report.pid !== servingPid, `reload ${i} started a new process`);
          pids.push(report.pid);
          // Both versions accept from the socket until the old one, signalled, closes its copy.
          await eventually(`reload ${i}: version ${i} serves`, async () => (await httpGet(port)).body === `version ${i}`, { timeoutMs: 5000 });
          await eventually(`reload ${i}: the kept-alive client reaches version ${i}`, async () => (await getOver(browser, port)) === `version ${i}`, {
            timeoutMs: 1500,
          });
        } else {
          assert.equal(report.outcome, 'patched', `patch ${i}: ${report.message}`);
          assert.equal(report.pid, pid, `patch ${i} stays in one process`);
          assert.equal((await httpGet(port)).body, `version ${i}`, `patch ${i} serves the new handler`);
          assert.equal(Number((await httpGet(port, '/visits')).body), ++visits, `patch ${i} keeps the visit count`);
        }
      }
      const result = await load.stop();
      load = undefined;
      const slowResults = await Promise.all(slows);
      console.log(
        `node ${strategy}: ${result.ok} requests ok, ${result.failed} failed, ${result.retried} keep-alive retries after an idle close; ${slowResults.length} slow requests across reloads`,
      );
      assert.equal(result.failed, 0, `failed requests:\n${result.errors.join('\n')}`);
      assert.ok(result.ok > RELOADS * 5, `steady load: ${result.ok} requests`);
      // A slow request sent just as a handoff completes may still reach the old version: either way it is answered in full.
      for (const [i, slow] of slowResults.entries()) assert.match(slow.body, /^slept 300 ms in \d+$/, `slow request ${i + 1} finished`);
      if (strategy === 'patch') for (const slow of slowResults) assert.equal(slow.body, `slept 300 ms in ${pid}`);
      if (strategy === 'patch') assert.deepEqual([...result.pids], [pid], 'one process served every request');
      else assert.equal(new Set(pids).size, RELOADS + 1, 'every handoff is a new process');
    } finally {
      browser.destroy();
      await load?.stop();
      await t.dispose();
    }
    for (const p of pids) assert.deepEqual(groupMembers(p), [], `pid ${p} is gone`);
  });
}

test('node patch: the old version’s intervals and load-time timeouts are cleared; requests in flight keep theirs', async () => {
  const { dir, port, t, pid } = await startNode('node-ts', { strategy: 'patch' });
  // greeting() answers what the kept objects hold: the ticks of each version's interval, and which load-time timeouts fired.
  const ticking = (version: string, lateMs: number) => `import { keep } from './hotreload';
const ticks = keep('ticks', () => ({}) as Record<string, number>);
const late = keep('late', () => ({}) as Record<string, boolean>);
setInterval(() => (ticks['${version}'] = (ticks['${version}'] ?? 0) + 1), 10);
setTimeout(() => (late['${version}'] = true), ${lateMs});
export function greeting(): string {
  return JSON.stringify({ ticks, late });
}
`;
  type Kept = { ticks: Record<string, number>; late: Record<string, boolean> };
  const greeting = path.join(dir, 'src', 'greeting.ts');
  try {
    // a's timeout is due long after b is loaded, however slow the machine: it can only not fire because it was cleared.
    const aLateMs = 4000;
    fs.writeFileSync(greeting, ticking('a', aLateMs));
    assert.equal((await t.report(2)).outcome, 'patched');
    const aLoaded = Date.now();
    await sleep(100);
    const slow = httpGet(port, '/slow?ms=800');
    await sleep(50);
    fs.writeFileSync(greeting, ticking('b', 600));
    assert.equal((await t.report(3)).outcome, 'patched');
    assert.ok(Date.now() - aLoaded < aLateMs, 'b was loaded before a’s timeout was due');
    const first = JSON.parse((await httpGet(port)).body) as Kept;
    await sleep(Math.max(700, aLateMs + 200 - (Date.now() - aLoaded)));
    const second = JSON.parse((await httpGet(port)).body) as Kept;
    assert.ok(first.ticks.a > 0, `version a's interval ran: ${JSON.stringify(first)}`);
    assert.equal(second.ticks.a, first.ticks.a, `version a's interval stopped: ${JSON.stringify([first, second])}`);
    assert.ok((second.ticks.b ?? 0) > (first.ticks.b ?? 0), `version b's interval runs on: ${JSON.stringify([first, second])}`);
    assert.deepEqual(second.late, { b: true }, "only b's load-time timeout fired; a's was cleared");
    assert.equal((await slow).body, `slept 800 ms in ${pid}`, 'the timeout of a request in flight on version a still fired');
  } finally {
    await t.dispose();
  }
});

test('node patch: a change that cannot be swapped falls back to a handoff and says why; an exception while loading leaves the old version serving', async () => {
  const { dir, port, t, pid } = await startNode('node-ts', { strategy: 'patch' });
  try {
    const server = path.join(dir, 'src', 'server.ts');
    fs.writeFileSync(
      server,
      fs.readFileSync(server, 'utf8').replace('app.listen(port, () => {', 'const server = app.listen(port, () => {') + 'server.keepAliveTimeout = 1234;\n',
    );
    const options = await t.report(2);
    assert.equal(options.outcome, 'handed-off', options.message);
    assert.match(options.message ?? '', /not patched: the new version failed to load: the server's keepAliveTimeout changed \(5000 → 1234\)/);
    assert.ok(options.pid && options.pid !== pid, 'a new process');
    await eventually('v2 drained away', () => groupMembers(pid).length === 0, { timeoutMs: 5000 });

    setNodeGreeting(dir, 'never', "if (process.pid > 0) throw new Error('not today');\n");
    const thrown = await t.report(3);
    assert.equal(thrown.outcome, 'rolled-back', thrown.message);
    assert.match(thrown.message ?? '', /not patched: the new version failed to load: loading it threw Error: not today \(at .*greeting\.ts:1:\d+\)/);
    assert.match(thrown.message ?? '', /v3 exited with status 1 before it was ready; v2 keeps serving/);
    const diagnostic = t.lastDiagnostics().find((d) => d.source === 'exception');
    assert.equal(diagnostic?.file, path.join(dir, 'src', 'greeting.ts'));
    assert.equal(diagnostic?.line, 1);
    assert.equal(Number((await httpGet(port, '/pid')).body), options.pid, 'v2 still serves, untouched by the failed load');
    assert.equal((await httpGet(port)).body, 'hello from TypeScript');
  } finally {
    await t.dispose();
  }
});

test('node patch: after patchLimit patches a clean handoff follows; ES modules patch as CommonJS does', async () => {
  const { dir, port, t, pid } = await startNode('node-esm', { strategy: 'patch', patchLimit: 2 });
  try {
    assert.equal((await httpGet(port, '/visits')).body, '1');
    for (let i = 1; i <= 2; i++) {
      setNodeGreeting(dir, `esm ${i}`);
      const report = await t.report(i + 1);
      assert.equal(report.outcome, 'patched', report.message);
      assert.equal(report.pid, pid);
      assert.equal((await httpGet(port)).body, `esm ${i}`);
      assert.equal((await httpGet(port, '/visits')).body, String(i + 1), 'kept across patches');
    }
    const clean = await t.report(4);
    assert.equal(clean.outcome, 'handed-off', clean.message);
    assert.notEqual(clean.pid, pid);
    assert.ok(
      t.events.some((e) => e.type === 'log' && /2 patches loaded \(patchLimit 2\): a clean handoff restart follows/.test(e.message)),
      'the log says why',
    );
    assert.equal((await httpGet(port)).body, 'esm 2');
    setNodeGreeting(dir, 'esm 3');
    assert.equal((await t.report(5)).outcome, 'patched', 'patching starts over in the new process');
  } finally {
    await t.dispose();
  }
});

test('node handoff: a program that listens on another port than the one held for it is told so, and is not taken for ready', async () => {
  const dir = copyNodeExample('node-esm');
  const other = await freePort();
  const { t, first } = await startSession(dir, { strategy: 'handoff', listenAddress: `127.0.0.1:${other}`, readyTimeoutMs: 1500 });
  try {
    assert.equal(first.outcome, 'crashed', first.message);
    assert.match(first.message ?? '', /v1 did not report ready within 1500 ms, so it was stopped/);
    assert.match(first.message ?? '', /a Node program is ready once its server listens on the public port/);
    assert.match(t.output, new RegExp(`hotreload: this program listens on port \\d+, but Hot Reload holds port ${other} for the handoff`));
  } finally {
    await t.dispose();
  }
});
