/**
 * Several services as one system, on examples/services: a plain command (db), two Go mains sharing
 * a package (api, worker, handoff) and a Node gateway calling both. The start follows the
 * dependencies; an edit of the shared package rebuilds both Go mains in one go build (counted
 * through a `go` wrapper) and not the gateway; a build that fails in one service switches none;
 * 30 reloads under a request loop through the gateway fail no request; stop leaves nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSystem, type ServiceSystem, type SystemEvent } from '../../src/engine';
import { DapClient } from '../support/dapClient';
import { openEventStream } from '../support/eventStream';
import { freePort } from '../support/ports';
import { copyExample, goAvailable } from '../support/examples';
import { withWrappedGo } from '../support/goOnPath';
import { httpGet } from '../support/http';
import { Load } from '../support/load';
import { pidsWithEnv } from '../support/processes';
import { tempDir } from '../support/files';
import { eventually } from '../support/waiting';

const skip = goAvailable() ? false : 'go is not installed';

function setGreeting(dir: string, text: string): void {
  const file = path.join(dir, 'shared', 'greeting', 'greeting.go');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/return .*/, `return ${JSON.stringify(text)}`));
}

/** Puts `code` in place of the worker's first line of main; `fix` puts the line back. */
function breakWorker(dir: string, code: string): { worker: string; fix: () => void } {
  const worker = path.join(dir, 'cmd', 'worker', 'main.go');
  const good = fs.readFileSync(worker, 'utf8');
  fs.writeFileSync(worker, good.replace('mux := http.NewServeMux()', code));
  return { worker, fix: () => fs.writeFileSync(worker, good) };
}

async function answers(system: ServiceSystem, name: string): Promise<string> {
  return (await httpGet(system.port(name)!)).body;
}

/** Waits until `name` answers `body`. */
function serves(system: ServiceSystem, name: string, body: string): Promise<string> {
  return eventually(`${name} answers ${body}`, async () => ((await answers(system, name)) === body ? body : undefined), { timeoutMs: 120_000 });
}

async function started(dir: string, events: SystemEvent[]): Promise<ServiceSystem> {
  const { system, problems } = await openSystem(dir, {});
  assert.ok(system, JSON.stringify(problems));
  system.events.on((event) => events.push(event));
  const result = await system.start();
  assert.deepEqual(result, { ready: ['db', 'api', 'worker', 'gateway'], failed: [], held: [] });
  return system;
}

const systemLines = (events: SystemEvent[]) => events.flatMap((e) => (e.service === undefined && e.event.type === 'log' ? [e.event.message] : []));

test('services start in dependency order, a shared package rebuilds both Go mains in one go build, and stop leaves nothing', { skip }, async () => {
  const dir = copyExample('services');
  const log = path.join(tempDir('hr-go-log-'), 'go.log');
  await withWrappedGo(`echo "$*" >> ${log}`, async () => {
    const events: SystemEvent[] = [];
    const system = await started(dir, events);
    const apiPort = system.port('api')!;
    assert.ok(pidsWithEnv('API_PORT', String(apiPort)).length >= 4, 'every service sees the api’s port');
    try {
      // db first, the gateway last; api and worker start together, in one wave.
      const order = systemLines(events)
        .filter((line) => / is ready/.test(line))
        .map((line) => line.split(' ')[0]);
      assert.equal(order[0], 'db');
      assert.equal(order[3], 'gateway');
      assert.deepEqual([...order].sort(), ['api', 'db', 'gateway', 'worker']);
      assert.equal(await answers(system, 'gateway'), 'gateway | api: hello | worker: hello');
      const builds = () =>
        fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('build '));
      assert.equal(builds().length, 1, `the first start builds api and worker in one go build:\n${builds().join('\n')}`);

      const gatewayVersion = system.session('gateway')!.currentVersion;
      setGreeting(dir, 'howdy');
      await serves(system, 'gateway', 'gateway | api: howdy | worker: howdy');
      await system.idle();
      assert.equal(builds().length, 2, `one more go build for both:\n${builds().join('\n')}`);
      assert.match(builds()[1], /\.\/cmd\/api/);
      assert.match(builds()[1], /\.\/cmd\/worker/);
      assert.equal(system.session('gateway')!.currentVersion, gatewayVersion, 'the gateway was not rebuilt');

      // An edit of the api alone builds the api alone.
      const api = path.join(dir, 'cmd', 'api', 'main.go');
      fs.writeFileSync(api, fs.readFileSync(api, 'utf8').replace('"api: %s\\n"', '"api (edited): %s\\n"'));
      await serves(system, 'api', 'api (edited): howdy');
      await system.idle();
      assert.equal(builds().length, 3);
      assert.doesNotMatch(builds()[2], /worker/);
      assert.equal(system.session('worker')!.currentVersion, 2, 'the worker was not rebuilt');
    } finally {
      await system.dispose();
    }
    assert.deepEqual(pidsWithEnv('API_PORT', String(apiPort)), [], 'nothing of the system runs after stop');
  });
});

test('one service failing to build switches none; the next good change switches both', { skip }, async () => {
  const dir = copyExample('services');
  const events: SystemEvent[] = [];
  const system = await started(dir, events);
  try {
    // The worker is broken and the shared package changes, in one batch.
    const { worker, fix } = breakWorker(dir, 'mux := http.NewServeMux()\n\tundefinedThing()');
    setGreeting(dir, 'broken-together');
    await eventually('the transaction fails', () => systemLines(events).find((line) => /failed to build: none of api, worker switched/.test(line)), {
      timeoutMs: 120_000,
    });
    await system.idle();
    assert.equal(await answers(system, 'api'), 'api: hello', 'the api, built fine, did not switch alone');
    assert.equal(await answers(system, 'worker'), 'worker: hello');
    const workerErrors = system.session('worker')!.diagnostics;
    assert.ok(
      workerErrors.some((d) => d.file === worker && /undefinedThing/.test(d.message)),
      JSON.stringify(workerErrors),
    );
    assert.deepEqual(system.session('api')!.diagnostics, [], 'the error shows on the failing service only');
    assert.match(system.session('api')!.lastState?.detail ?? '', /not switched to: worker failed to build/);

    fix();
    await serves(system, 'gateway', 'gateway | api: broken-together | worker: broken-together');
  } finally {
    await system.dispose();
  }
});

test('30 reloads of the shared package under a request loop through the gateway fail no request', { skip }, async () => {
  const dir = copyExample('services');
  const system = await started(dir, []);
  const load = new Load(system.port('gateway')!, { path: '/', fresh: 2, keepAlive: 1, pauseMs: 10 });
  try {
    for (let i = 1; i <= 30; i++) {
      setGreeting(dir, `round ${i}`);
      await serves(system, 'gateway', `gateway | api: round ${i} | worker: round ${i}`);
    }
  } finally {
    const result = await load.stop();
    await system.dispose();
    assert.ok(result.ok > 100, `${result.ok} requests answered`);
    assert.equal(result.failed, 0, result.errors.join('\n'));
  }
});

test('a file a service writes while it runs (here a plain command’s report page) reloads no service', { skip }, async () => {
  const dir = copyExample('services');
  fs.writeFileSync(
    path.join(dir, 'writer.js'),
    `const fs = require('node:fs');\nconst fd = fs.openSync('report.html', 'w');\nlet n = 0;\nsetInterval(() => fs.writeSync(fd, '<p>' + n++ + '</p>\\n'), 50);\nconsole.log('writing');\n`,
  );
  fs.appendFileSync(path.join(dir, 'hotreload.toml'), '\n[services.writer]\ncommand = "node writer.js"\nready = { log = "writing" }\n');
  const { system, problems } = await openSystem(dir, { only: ['api', 'writer'] });
  assert.ok(system, JSON.stringify(problems));
  const events: SystemEvent[] = [];
  system.events.on((event) => events.push(event));
  try {
    assert.deepEqual((await system.start()).ready, ['db', 'api', 'writer']);
    await eventually('the report is learnt as the program’s own', () => systemLines(events).find((line) => /ignoring changes to report\.html/.test(line)));
    await system.idle();
    assert.equal(system.session('api')!.currentVersion, 1, 'the api did not reload');
    // An edit still reloads.
    setGreeting(dir, 'still watched');
    await serves(system, 'api', 'api: still watched');
  } finally {
    await system.dispose();
  }
});

test('one service under the debugger: a breakpoint in it stops a request, and a change of the shared package still switches it', { skip }, async () => {
  const dir = copyExample('services');
  const { system, problems } = await openSystem(dir, { only: ['api'] });
  assert.ok(system, JSON.stringify(problems));
  let client: DapClient | undefined;
  try {
    assert.deepEqual((await system.start()).ready, ['db', 'api']);
    assert.deepEqual(await system.debugService('db'), { error: 'db is a plain command: only Go and Node services run under a debugger' });
    const debugged = await system.debugService('api');
    assert.ok('address' in debugged, JSON.stringify(debugged));
    const main = path.join(dir, 'cmd', 'api', 'main.go');
    const line =
      fs
        .readFileSync(main, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('fmt.Fprintf(w, "api: %s\\n"')) + 1;
    client = await DapClient.connect(debugged.address);
    await client.start({ [main]: [line] });
    const answer = httpGet(system.port('api')!, '/', 30_000);
    const stop = await client.event('stopped', (e) => e.body?.reason === 'breakpoint');
    assert.equal((await client.topFrame(stop.body!.threadId)).line, line);
    await client.request('continue', { threadId: stop.body!.threadId });
    assert.equal((await answer).body, 'api: hello');

    setGreeting(dir, 'debugged');
    await eventually('the debugged api switched', () => (system.session('api')!.currentVersion === 2 ? true : undefined), { timeoutMs: 120_000 });
    const again = httpGet(system.port('api')!, '/', 30_000);
    const stop2 = await client.nextEvent('stopped', (e) => e.body?.reason === 'breakpoint');
    await client.request('continue', { threadId: stop2.body!.threadId });
    assert.equal((await again).body, 'api: debugged');
  } finally {
    client?.close();
    await system.dispose();
  }
});

test('a service that fails to build at the start holds its dependents; fixing it starts it and then them', { skip }, async () => {
  const dir = copyExample('services');
  const api = path.join(dir, 'cmd', 'api', 'main.go');
  const good = fs.readFileSync(api, 'utf8');
  fs.writeFileSync(api, good.replace('mux := http.NewServeMux()', 'mux := http.NewServeMux()\n\tnotDefined()'));
  const { system, problems } = await openSystem(dir, {});
  assert.ok(system, JSON.stringify(problems));
  try {
    const started = await system.start();
    assert.deepEqual(started, { ready: ['db', 'worker'], failed: ['api'], held: ['gateway'] });
    assert.match(system.service('gateway')!.detail ?? '', /depends on api/);
    assert.ok(system.session('api')!.diagnostics.some((d) => d.file === api && /notDefined/.test(d.message)));
    fs.writeFileSync(api, good);
    await eventually('the gateway starts once the api is fixed', () => (system.service('gateway')!.state === 'ready' ? true : undefined), {
      timeoutMs: 120_000,
    });
    assert.equal(system.service('api')!.state, 'ready');
    assert.equal(await answers(system, 'gateway'), 'gateway | api: hello | worker: hello');
  } finally {
    await system.dispose();
  }
});

test('a front with browser reload: its open pages reload once, after the last service of a change serves', { skip }, async () => {
  const dir = copyExample('services');
  const browserPort = await freePort();
  const toml = path.join(dir, 'hotreload.toml');
  fs.writeFileSync(toml, fs.readFileSync(toml, 'utf8').replace('dir = "gateway"', `dir = "gateway"\nbrowserReload = true\nbrowserPort = ${browserPort}`));
  const system = await started(dir, []);
  const stream = openEventStream(browserPort);
  try {
    await stream.next((m) => m.type === 'hello');
    setGreeting(dir, 'paged');
    const reload = await stream.next((m) => m.type === 'reload', 120_000);
    // By the time pages are told, both backends serve the change.
    assert.equal(await answers(system, 'api'), 'api: paged');
    assert.equal(await answers(system, 'worker'), 'worker: paged');
    assert.equal((await httpGet(browserPort)).body, 'gateway | api: paged | worker: paged');
    await system.idle();
    assert.equal(stream.messages.filter((m) => m.message.type === 'reload').length, 1, JSON.stringify(reload));
  } finally {
    stream.close();
    await system.dispose();
  }
});

test('a service that fails to start switches none: the ones switched before it go back, and the fix switches all', { skip }, async () => {
  const dir = copyExample('services');
  const events: SystemEvent[] = [];
  const system = await started(dir, events);
  try {
    // The worker builds but dies at its start, in the same change as the shared package.
    const { fix } = breakWorker(dir, 'panic("worker cannot start")\n\tmux := http.NewServeMux()');
    setGreeting(dir, 'not together');
    await eventually('the transaction fails', () => systemLines(events).find((line) => /worker failed to start: none of api, worker switched/.test(line)), {
      timeoutMs: 120_000,
    });
    // The api, switched first, serves its version from before the change again; the worker's old version never stopped.
    assert.equal(await answers(system, 'api'), 'api: hello');
    assert.equal(await answers(system, 'worker'), 'worker: hello');
    assert.ok(
      events.some((e) => e.service === 'api' && e.event.type === 'reload' && e.event.report.outcome === 'rolled-back'),
      'the api says it went back',
    );
    fix();
    await serves(system, 'gateway', 'gateway | api: not together | worker: not together');
  } finally {
    await system.dispose();
  }
});
