import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { setGreeting, startSession } from './harness';
import { copyExampleForBuild, prebuiltWorkspace, reloadsUnderLoad, variantsOf } from './zeroDowntime';
import { groupMembers, isAlive } from '../../src/engine/processes/processTree';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

const RELOADS = 50;

// Zero loss also takes the program's part: on the stop signal it must stop accepting, serve the first
// request of every connection it already accepted, and only then shut down (net/http's Shutdown closes
// a connection whose request it reads after it began). hotreload.Serve is what does this here.
test(`handoff: ${RELOADS} reloads under load lose no request, and every reload changes the serving pid`, async () => {
  const { port } = await reloadsUnderLoad('handoff', RELOADS, async (port, pid, reload) => {
    await eventually(`reload ${reload}: pid ${pid} serves`, async () => Number((await httpGet(port, '/pid')).body) === pid, { timeoutMs: 10000 });
  });
  await assert.rejects(httpGet(port, '/', 500), 'the socket is closed with the session');
});

test('handoff: auto picks handoff for a program that imports go/hotreload; edits rebuild with go build and hand off', async () => {
  const dir = copyExampleForBuild('handoff');
  const { t, port, first } = await startSession(dir);
  try {
    assert.equal(first.outcome, 'started', first.message);
    assert.equal(first.strategy, 'handoff');
    assert.match(first.message ?? '', /strategy auto: handoff, as the program imports hotreload\.dev\/go\/hotreload/);
    assert.equal((await httpGet(port, '/')).body, 'hello, world');
    const slow = httpGet(port, '/slow?ms=1500').catch((err: Error) => ({ status: 0, body: err.message }));
    await sleep(50);
    setGreeting(dir, 'hello, handed off');
    const second = await t.report(2);
    assert.equal(second.outcome, 'handed-off', second.message);
    assert.equal((await httpGet(port, '/')).body, 'hello, handed off');
    const slowResult = await slow;
    assert.equal(slowResult.body, `slept 1500 ms in ${first.pid}`, 'the request in flight finished on v1');
    await eventually('v1 drained and exited', () => !isAlive(first.pid!), { timeoutMs: 5000 });
  } finally {
    await t.dispose();
  }
});

test('handoff: a program whose engine is SIGKILLed is gone within a second', async () => {
  const bins = await variantsOf('handoff');
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
    assert.equal(Number((await httpGet(port, '/pid')).body), programPid);

    const killedAt = Date.now();
    process.kill(-engine.pid!, 'SIGKILL');
    await eventually('the program is gone', () => !isAlive(programPid!), { timeoutMs: 5000 });
    const goneAfter = Date.now() - killedAt;
    console.log(`handoff: the program exited ${goneAfter} ms after its engine was killed`);
    assert.ok(goneAfter < 1000, `gone after ${goneAfter} ms`);
    assert.deepEqual(groupMembers(programPid), []);
    await assert.rejects(httpGet(port, '/', 500), 'nothing holds the socket any more');
  } finally {
    if (isAlive(engine.pid!)) process.kill(-engine.pid!, 'SIGKILL');
    if (programPid && groupMembers(programPid).length > 0) process.kill(-programPid, 'SIGKILL');
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});
