import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { setGreeting, startSession, TestSession } from './harness';
import { copyExampleForBuild, prebuiltWorkspace, reloadsUnderLoad, variantsOf } from './zeroDowntime';
import { isAlive } from '../../src/engine/processes/processTree';
import { httpGet } from '../support/http';
import { Load } from '../support/load';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

const RELOADS = 50;

test(`proxy: ${RELOADS} reloads under load lose no request, keep every client connection, and change the serving pid`, async () => {
  const { port, load } = await reloadsUnderLoad('proxy', RELOADS, async (port, pid, reload) => {
    // The switch is atomic: the very next request is the new version's.
    assert.equal(Number((await httpGet(port, '/pid')).body), pid, `reload ${reload}: the new version serves at once`);
  });
  assert.equal(load.retried, 0, 'no client connection was closed under a request');
  assert.deepEqual(load.keepAliveConnections, [1, 1], 'each keep-alive client kept its one connection through every switch');
  await assert.rejects(httpGet(port, '/', 500), 'the proxy stops with the session');
});

test('proxy: with a fixed appPort the old version stops first and requests wait instead of failing', async () => {
  const bins = await variantsOf('proxy');
  const ws = prebuiltWorkspace('proxy', bins.a);
  const [publicPort, appPort] = [await freePort(), await freePort()];
  const t = await TestSession.open(
    ws.dir,
    { strategy: 'proxy', proxyPort: publicPort, appPort, buildCommand: 'true', binary: ws.current, readyTimeoutMs: 5000 },
    { watch: false },
  );
  let load: Load | undefined;
  try {
    await t.session.start();
    let pid = (await t.report(1)).pid!;
    load = new Load(publicPort, { fresh: 2, keepAlive: 2, pauseMs: 5 });
    for (let i = 0; i < 5; i++) {
      ws.install(i % 2 === 0 ? bins.b : bins.a);
      t.session.restart();
      const report = await t.report(i + 2);
      assert.equal(report.outcome, 'restarted', report.message);
      assert.notEqual(report.pid, pid);
      pid = report.pid!;
      assert.equal(Number((await httpGet(publicPort, '/pid')).body), pid);
    }
    const result = await load.stop();
    load = undefined;
    assert.equal(result.failed, 0, `failed requests:\n${result.errors.join('\n')}`);
    assert.deepEqual(result.keepAliveConnections, [1, 1]);
  } finally {
    await load?.stop();
    await t.dispose();
  }
});

test('proxy: an edit rebuilds with go build; a streaming response and an upgraded connection survive the switch', async () => {
  const dir = copyExampleForBuild('proxy');
  const { t, port, first } = await startSession(dir, { strategy: 'proxy', drainTimeoutMs: 1500 });
  try {
    assert.equal(first.outcome, 'started', first.message);
    assert.equal((await httpGet(port, '/')).body, 'hello, world');

    // A stream of 30 lines over ~1.5 s and an upgraded (websocket-like) connection, both on v1.
    const stream = streamLines(port, '/stream?n=30&ms=50');
    const tunnel = await openEcho(port);
    assert.equal(await tunnel.next(), `hello from ${first.pid}`);
    assert.equal(await tunnel.roundTrip('before'), 'before');

    setGreeting(dir, 'hello, proxied');
    const second = await t.report(2);
    assert.equal(second.outcome, 'handed-off', second.message);
    assert.equal((await httpGet(port, '/')).body, 'hello, proxied');
    assert.equal(await tunnel.roundTrip('after the switch'), 'after the switch', 'the upgraded connection still works on v1');

    const lines = await stream;
    assert.equal(lines.length, 30, 'the stream completed');
    assert.ok(lines.every((l) => l.endsWith(`from ${first.pid}`)));

    // Once drainTimeoutMs has passed, v1 is stopped although the tunnel is still open.
    await eventually('v1 stopped after the drain timeout', () => !isAlive(first.pid!), { timeoutMs: 10000 });
    await tunnel.closed;
  } finally {
    await t.dispose();
  }
});

test('proxy: auto picks restart for a program that does not import go/hotreload', async () => {
  const { t, port, first } = await startSession(copyExampleForBuild('proxy'));
  try {
    assert.equal(first.outcome, 'started');
    assert.equal(first.strategy, 'restart');
    assert.match(first.message ?? '', /strategy auto: restart, as the program does not import hotreload\.dev\/go\/hotreload/);
    await eventually('it serves', async () => (await httpGet(port, '/')).body === 'hello, world');
  } finally {
    await t.dispose();
  }
});

function streamLines(port: number, urlPath: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body.trim().split('\n')));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** A connection upgraded with "Upgrade: echo" through the proxy: the example echoes each line. */
async function openEcho(port: number): Promise<{ next(): Promise<string>; roundTrip(line: string): Promise<string>; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write('GET /echo HTTP/1.1\r\nHost: test\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
  let buffer = '';
  let headDone = false;
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let gotHead: (head: string) => void = () => undefined;
  const head = new Promise<string>((resolve) => (gotHead = resolve));
  socket.on('error', () => undefined);
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (!headDone) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      // Asserted below once it came, not here: an assertion in a socket handler fails no test.
      gotHead(buffer.slice(0, end));
      buffer = buffer.slice(end + 4);
      headDone = true;
    }
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
    while (lines.length > 0 && waiting.length > 0) waiting.shift()!(lines.shift()!);
  });
  const next = () => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise<string>((resolve) => waiting.push(resolve)));
  assert.match(await Promise.race([head, closed.then(() => '(closed before any response)')]), /^HTTP\/1\.1 101 /);
  return {
    next,
    roundTrip: (line: string) => {
      socket.write(`${line}\n`);
      return next();
    },
    closed,
  };
}
