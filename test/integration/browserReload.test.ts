/**
 * Browser reload with real Go programs and real processes, from the outside: pages' event streams,
 * pages fetched as a browser fetches them, and the CLI with --browser-reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { setGreeting, TestSession } from './harness';
import { copyExample, repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesUnder } from '../support/processes';
import { eventually } from '../support/waiting';
import { copyExampleForBuild } from './zeroDowntime';
import { openEventStream } from '../support/eventStream';

const PAGE_HEADERS = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', accept: 'text/html' };
const SCRIPT = /<script src="\.\/__hotreload\/client\.js" data-hotreload="([0-9a-f]+\.\d+)" async><\/script>/;

/** GET as a browser loads a page: status and body, or the error code. */
function getPage(port: number, urlPath = '/'): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: PAGE_HEADERS, agent: false, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

/** examples/web with versions that take a while to listen, as programs that open a database do. */
function slowWeb(): string {
  const dir = copyExample('web');
  fs.writeFileSync(path.join(dir, 'startup.go'), 'package main\n\nimport "time"\n\nfunc init() { time.Sleep(500 * time.Millisecond) }\n');
  return dir;
}

function setWebGreeting(dir: string, text: string): void {
  fs.writeFileSync(path.join(dir, 'greeting.go'), `package main\n\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`);
}

test('browser reload, restart: pages are told to reload only once the new version answers; a reload meanwhile waits, never fails', async () => {
  const dir = slowWeb();
  const [port, browserPort] = [await freePort(), await freePort()];
  const t = await TestSession.open(dir, { browserReload: true, browserPort, env: { PORT: String(port) } });
  let stream: ReturnType<typeof openEventStream> | undefined;
  try {
    await t.session.start();
    assert.equal((await t.report(1)).outcome, 'started');
    stream = openEventStream(browserPort);
    assert.equal(t.session.url, `http://localhost:${browserPort}/`);
    const first = await getPage(browserPort);
    assert.ok('body' in first && first.status === 200, JSON.stringify(first));
    assert.match(first.body, SCRIPT);
    assert.match(first.body, /Hello from html\/template/);
    assert.doesNotMatch((await httpGet(port, '/')).body, SCRIPT, "the program's own port is the program's, untouched");
    const hello = await stream.next((m) => m.type === 'hello');

    // "Reload by hand" through the engine's port all along the restart: every answer is a page.
    const answers: string[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const r = await getPage(browserPort);
        answers.push('body' in r ? `${r.status} ${/<h1 id="greeting">([^<]*)/.exec(r.body)?.[1]}` : r.error);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    setWebGreeting(dir, 'second version');
    const reload = await stream.next((m) => m.type === 'reload');
    // The moment pages hear of it, the new version answers on its own port already.
    const direct = await httpGet(port, '/', 1000);
    assert.match(direct.body, /second version/, 'ready before the reload was sent');
    assert.equal(reload.type === 'reload' && reload.epoch.split('.')[0], hello.type === 'hello' && hello.epoch.split('.')[0]);
    const report = await t.report(2);
    assert.equal(report.outcome, 'restarted');
    assert.ok(report.phases.startMs >= 400, `the deploy counted the wait for the new version (${report.phases.startMs} ms)`);
    await eventually('the poller to see the new version', () => answers.some((a) => a.endsWith('second version')));
    polling = false;
    await poller;
    assert.deepEqual(
      answers.filter((a) => !/^200 (Hello from html\/template|second version)$/.test(a)),
      [],
      'no refused connection, no error page, while the program restarted',
    );
    const page = await getPage(browserPort);
    assert.equal('body' in page && SCRIPT.exec(page.body)?.[1], reload.type === 'reload' ? reload.epoch : '', 'new pages carry the new epoch');
  } finally {
    stream?.close();
    await t.dispose();
  }
  assert.deepEqual(await getPage(browserPort), { error: 'ECONNREFUSED' }, 'the proxy goes with the session');
});

test('browser reload, proxy strategy: its own port serves pages with the script; a reload per new version; the remembered port', async () => {
  const dir = copyExample('web');
  const port = await freePort();
  const t = await TestSession.open(dir, { strategy: 'proxy', browserReload: true, env: { PORT: String(port) } });
  let stream: ReturnType<typeof openEventStream> | undefined;
  try {
    await t.session.start();
    assert.equal((await t.report(1)).outcome, 'started');
    stream = openEventStream(port);
    assert.equal(t.session.url, `http://localhost:${port}/`, 'no second proxy: the strategy’s own');
    const page = await getPage(port);
    assert.ok('body' in page && SCRIPT.test(page.body), JSON.stringify(page));
    setWebGreeting(dir, 'proxied again');
    assert.equal((await stream.next((m) => m.type === 'reload')).type, 'reload');
    const after = await getPage(port);
    assert.ok('body' in after && after.body.includes('proxied again'));
    assert.equal((await t.report(2)).outcome, 'handed-off');
    assert.ok(!fs.existsSync(path.join(t.session.settings.workDir, 'browser-port')), 'the proxy strategy has its own port');
  } finally {
    stream?.close();
    await t.dispose();
  }
});

test('browser reload, handoff: the front follows the socket the engine holds; without browser reload nothing is injected', async () => {
  const dir = copyExampleForBuild('handoff');
  const port = await freePort();
  const t = await TestSession.open(dir, { browserReload: true, env: { PORT: String(port) } });
  try {
    await t.session.start();
    const first = await t.report(1);
    assert.equal(first.strategy, 'handoff');
    const url = new URL(t.session.url!);
    const browserPort = Number(url.port);
    assert.notEqual(browserPort, port);
    assert.equal(fs.readFileSync(path.join(t.session.settings.workDir, 'browser-port'), 'utf8').trim(), String(browserPort), 'remembered for the next start');
    const stream = openEventStream(browserPort);
    await stream.next((m) => m.type === 'hello');
    setGreeting(dir, 'handed over');
    await stream.next((m) => m.type === 'reload');
    assert.equal((await httpGet(browserPort, '/')).body.trim(), 'handed over', 'text/plain passes as it is');
    stream.close();
  } finally {
    await t.dispose();
  }

  // The same program again, browser reload off: the session's address is the program's own.
  const off = await TestSession.open(dir, { env: { PORT: String(port) } });
  try {
    await off.session.start();
    await off.report(1);
    assert.equal(off.session.url, `http://localhost:${port}/`);
    assert.equal(off.session.browser, undefined);
  } finally {
    await off.dispose();
  }
});

test('the CLI: --browser-reload prints the address to open; pages there carry the script; a restart keeps the port', async () => {
  const dir = copyExample('web');
  const port = await freePort();
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  assert.ok(fs.existsSync(cli), 'npm run build first');
  const run = () => {
    const child = spawn(process.execPath, [cli, '--browser-reload'], {
      cwd: dir,
      env: { ...process.env, PORT: String(port) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  };
  const first = run();
  let second: ReturnType<typeof run> | undefined;
  try {
    const line = await eventually('the address', () => /browser reload: open (http:\/\/localhost:(\d+)\/)/.exec(first.stderr()) ?? undefined, {
      timeoutMs: 60_000,
    });
    const browserPort = Number(line[2]);
    const page = await eventually('the page', async () => {
      const r = await getPage(browserPort);
      return 'body' in r && r.status === 200 ? r.body : undefined;
    });
    assert.match(page, SCRIPT);
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 130);

    second = run();
    const again = await eventually('the address again', () => /browser reload: open http:\/\/localhost:(\d+)\//.exec(second!.stderr()) ?? undefined, {
      timeoutMs: 60_000,
    });
    assert.equal(Number(again[1]), browserPort, 'open pages find the engine where it was');
  } finally {
    for (const r of [first, second]) if (r && r.child.exitCode === null) r.child.kill('SIGINT');
    await Promise.all([first.exited, second?.exited]);
    killProcessesUnder(dir);
  }
});
