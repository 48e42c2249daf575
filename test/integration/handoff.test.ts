import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { eventually, freePort, setGreeting, TestSession } from './harness';
import { copyExampleForBuild, get, Load, prebuiltWorkspace, reloadsUnderLoad, sleep, variantsOf } from './zeroDowntime';
import { groupMembers, isAlive } from '../../src/engine/processes/processTree';

const RELOADS = 50;

const handoffVariants = () => variantsOf('handoff');

// Zero loss also takes the program's part: on the stop signal it must stop accepting, serve the first
// request of every connection it already accepted, and only then shut down (net/http's Shutdown closes
// a connection whose request it reads after it began). hotreload.Serve is what does this here.
test(`handoff: ${RELOADS} reloads under load lose no request, and every reload changes the serving pid`, async () => {
  const { port } = await reloadsUnderLoad('handoff', RELOADS, async (port, pid, reload) => {
    await eventually(`reload ${reload}: pid ${pid} serves`, async () => Number((await get(port, '/pid')).body) === pid, 10000);
  });
  await assert.rejects(get(port, '/', 500), 'the socket is closed with the session');
});

test('handoff: a version that panics on start and one that never becomes ready are rolled back, with no failed request', async () => {
  const bins = await handoffVariants();
  const ws = prebuiltWorkspace('handoff', bins.a);
  const port = await freePort();
  const t = await TestSession.open(
    ws.dir,
    { strategy: 'handoff', env: { PORT: String(port) }, buildCommand: 'true', binary: ws.current, readyTimeoutMs: 1500, drainTimeoutMs: 2000 },
    { watch: false },
  );
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
    assert.match(hung.message ?? '', /v3 did not report ready within 1500 ms, so it was stopped; v1 keeps serving/);
    assert.match(hung.message ?? '', /hotreload\.Ready\(\)/);
    assert.equal(t.session.currentProgram?.pid, pid1);

    // And a good version after them hands off as usual.
    ws.install(bins.b);
    t.session.restart();
    const good = await t.report(4);
    assert.equal(good.outcome, 'handed-off', good.message);
    await eventually('version B serves', async () => (await get(port, '/')).body === 'version B');
    await sleep(200);
    const result = await load.stop();
    load = undefined;
    console.log(`handoff rollbacks: ${result.ok} requests ok, ${result.failed} failed, ${result.retried} keep-alive retries`);
    assert.equal(result.failed, 0, `failed requests:\n${result.errors.join('\n')}`);
    assert.deepEqual([...result.pids].sort(), [pid1, good.pid!].sort(), 'only v1 and v4 ever answered');
  } finally {
    await load?.stop();
    await t.dispose();
  }
});

test('handoff: auto picks handoff for a program that imports go/hotreload; edits rebuild with go build and hand off', async () => {
  const dir = copyExampleForBuild('handoff');
  const port = await freePort();
  const t = await TestSession.open(dir, { env: { PORT: String(port) } });
  try {
    await t.session.start();
    const first = await t.report(1);
    assert.equal(first.outcome, 'started', first.message);
    assert.equal(first.strategy, 'handoff');
    assert.match(first.message ?? '', /strategy auto: handoff, as the program imports hotreload\.dev\/go\/hotreload/);
    assert.equal((await get(port, '/')).body, 'hello, world');
    const slow = get(port, '/slow?ms=1500').catch((err: Error) => ({ status: 0, body: err.message }));
    await sleep(50);
    setGreeting(dir, 'hello, handed off');
    const second = await t.report(2);
    assert.equal(second.outcome, 'handed-off', second.message);
    assert.equal((await get(port, '/')).body, 'hello, handed off');
    const slowResult = await slow;
    assert.equal(slowResult.body, `slept 1500 ms in ${first.pid}`, 'the request in flight finished on v1');
    await eventually('v1 drained and exited', () => !isAlive(first.pid!), 5000);
  } finally {
    await t.dispose();
  }
});

test('handoff: a program whose engine is SIGKILLed is gone within a second', async () => {
  const bins = await handoffVariants();
  const ws = prebuiltWorkspace('handoff', bins.a);
  const port = await freePort();
  const engineModule = path.resolve(__dirname, '..', '..', 'src', 'engine');
  const script = `
    const { openSession } = require(${JSON.stringify(engineModule)});
    (async () => {
      const { session, problems } = await openSession(${JSON.stringify(ws.dir)}, [{ strategy: 'handoff', env: { PORT: '${port}' }, buildCommand: 'true', binary: ${JSON.stringify(ws.current)} }], { watch: false });
      if (!session) throw new Error(JSON.stringify(problems));
      session.events.on((e) => { if (e.type === 'reload') process.stdout.write(JSON.stringify({ outcome: e.report.outcome, pid: e.report.pid }) + '\\n'); });
      await session.start();
    })().catch((err) => { console.error(err); process.exit(1); });
  `;
  // The engine runs in a process of its own (and its own group), which the test then kills.
  const engine = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let programPid: number | undefined;
  try {
    const lines = readline.createInterface({ input: engine.stdout });
    const report = await new Promise<{ outcome: string; pid: number }>((resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line)));
      engine.once('exit', (code) => reject(new Error(`the engine exited (${code})`)));
    });
    assert.equal(report.outcome, 'started');
    programPid = report.pid;
    assert.equal(Number((await get(port, '/pid')).body), programPid);

    const killedAt = Date.now();
    process.kill(-engine.pid!, 'SIGKILL');
    await eventually('the program is gone', () => !isAlive(programPid!), 5000);
    const goneAfter = Date.now() - killedAt;
    console.log(`handoff: the program exited ${goneAfter} ms after its engine was killed`);
    assert.ok(goneAfter < 1000, `gone after ${goneAfter} ms`);
    assert.deepEqual(groupMembers(programPid), []);
    await assert.rejects(get(port, '/', 500), 'nothing holds the socket any more');
  } finally {
    if (isAlive(engine.pid!)) process.kill(-engine.pid!, 'SIGKILL');
    if (programPid && groupMembers(programPid).length > 0) process.kill(-programPid, 'SIGKILL');
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});
