import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PageHub } from '../../src/engine/browser/hub';
import { BrowserPages } from '../../src/engine/browser/pages';
import { Stylesheets } from '../../src/engine/browser/stylesheets';
import type { Artifact } from '../../src/engine/kernel/artifact';
import { defaultSettings } from '../../src/engine/settings/defaults';
import type { Settings } from '../../src/engine/settings/types';
import { BrowserFront } from '../../src/engine/strategies/browserFront';
import type { DeployResult, RunStrategy } from '../../src/engine/strategies/strategy';
import { FakeProgram } from '../support/fakeParts';

/** A restart-like strategy whose programs are fakes; the test opens (or not) the program's port itself. */
class Inner implements RunStrategy {
  readonly name = 'restart' as const;
  readonly programs: FakeProgram[] = [];
  disposed = false;
  constructor(readonly address: { host: string; port: number }) {}
  deploy(artifact: Artifact): Promise<DeployResult> {
    const program = new FakeProgram(artifact.version);
    this.programs.push(program);
    return Promise.resolve({ ok: true, program, outcome: 'started', stopMs: 0, startMs: 0 });
  }
  dispose(): Promise<void> {
    this.disposed = true;
    return Promise.resolve();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The program's HTTP server, once it "listens". */
async function listenAt(port: number, body: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

function get(port: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

async function front(programPort: number, overrides: Partial<Settings> = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-front-'));
  const settings = { ...defaultSettings(root), listenAddress: '127.0.0.1:0', readyTimeoutMs: 5000, ...overrides };
  fs.mkdirSync(settings.workDir, { recursive: true });
  const inner = new Inner({ host: '', port: programPort });
  const logs: string[] = [];
  const strategy = new BrowserFront(inner, {
    settings,
    pages: new BrowserPages(new PageHub(), new Stylesheets()),
    log: (level, m) => logs.push(`${level}: ${m}`),
  });
  return { strategy, inner, logs, settings };
}

const artifact = (version: number): Artifact => ({ version, path: '/nonexistent', builtAt: Date.now() });

test('browser front: a deploy counts as done only once the program listens; requests meanwhile are held, then served', async () => {
  const programPort = await freePort();
  const { strategy, inner, logs } = await front(programPort);
  let server: http.Server | undefined;
  try {
    const deploying = strategy.deploy(artifact(1), undefined);
    let done = false;
    void deploying.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(strategy.address, 'listening before the program does');
    const held = get(strategy.address.port);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(done, false, 'not ready while nothing listens');
    server = await listenAt(programPort, 'v1 answers');
    const result = await deploying;
    assert.ok(result.ok && result.startMs >= 300, `the wait counts as start time (${result.ok && result.startMs} ms)`);
    assert.deepEqual(await held, { status: 200, body: 'v1 answers' }, 'the request made meanwhile waited and got the answer');
    assert.match(
      logs.join('\n'),
      /browser reload: open http:\/\/127\.0\.0\.1:\d+\/ \(a proxy on 127\.0\.0\.1:\d+, in front of the program on 127\.0\.0\.1:\d+\)/,
    );
    assert.equal(inner.programs.length, 1);
  } finally {
    await strategy.dispose();
    server?.close();
  }
  assert.equal(inner.disposed, true, 'disposing the front disposes the strategy behind it');
});

test('browser front: a version that dies before it listens ends the wait at once (the session rolls back)', async () => {
  const { strategy, inner } = await front(await freePort());
  try {
    const deploying = strategy.deploy(artifact(1), undefined);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    inner.programs[0].die(2, 'panic: boom');
    const result = await deploying;
    assert.ok(result.ok, 'the program ran: what follows its death is the keeper’s');
    assert.ok(Date.now() - started < 500);
  } finally {
    await strategy.dispose();
  }
});

test('browser front: a program that never listens where expected is named in a warning, with the fix', async () => {
  const { strategy, logs } = await front(await freePort(), { readyTimeoutMs: 300 });
  try {
    const result = await strategy.deploy(artifact(1), undefined);
    assert.ok(result.ok);
    assert.match(logs.join('\n'), /v1 did not accept connections on 127\.0\.0\.1:\d+ within 300 ms; .*set appPort/);
  } finally {
    await strategy.dispose();
  }
});

test('browser front: a taken browserPort is an error in the log, and the program runs without the front', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as net.AddressInfo).port;
  const { strategy, logs } = await front(await freePort(), { browserPort: taken, readyTimeoutMs: 200 });
  try {
    const result = await strategy.deploy(artifact(1), undefined);
    assert.ok(result.ok);
    assert.equal(strategy.address, undefined);
    assert.match(
      logs.join('\n'),
      new RegExp(
        `error: browser reload: cannot listen on 127\\.0\\.0\\.1:${taken} \\(EADDRINUSE\\); the program runs without it\\. Set browserPort to a free port`,
      ),
    );
  } finally {
    await strategy.dispose();
    blocker.close();
  }
});

test('browser front: the port is remembered in the work dir for the next start, never the program’s own', async () => {
  const programPort = await freePort();
  const first = await front(programPort, { readyTimeoutMs: 100, listenAddress: undefined });
  await first.strategy.deploy(artifact(1), undefined);
  const port = first.strategy.address!.port;
  await first.strategy.dispose();
  assert.equal(fs.readFileSync(path.join(first.settings.workDir, 'browser-port'), 'utf8'), `${port}\n`);

  const again = await front(programPort, { readyTimeoutMs: 100, workDir: first.settings.workDir });
  await again.strategy.deploy(artifact(1), undefined);
  assert.equal(again.strategy.address!.port, port);
  await again.strategy.dispose();

  // A remembered port that is now the program's own is not taken from it.
  fs.writeFileSync(path.join(first.settings.workDir, 'browser-port'), `${programPort}\n`);
  const third = await front(programPort, { readyTimeoutMs: 100, workDir: first.settings.workDir });
  await third.strategy.deploy(artifact(1), undefined);
  assert.notEqual(third.strategy.address!.port, programPort);
  await third.strategy.dispose();
});
