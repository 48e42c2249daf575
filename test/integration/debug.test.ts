/**
 * Debugging while the program hot-reloads: each version runs under Delve (run by the supervisor),
 * one debugger connection lasts across reloads through the engine's address, breakpoints are hit
 * in each new version, a failed build keeps the session, a breakpoint before ready does not make
 * a handoff give up, and stop, reload, a crash and an engine SIGKILL leave no dlv and no program.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setGreeting, TestSession } from './harness';
import { copyExampleForBuild } from './zeroDowntime';
import { DapClient } from '../support/dapClient';
import { copyExample, repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { accepts, freePort } from '../support/ports';
import { killProcessesWithEnv, processesWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';
import { openSession } from '../../src/engine';

/** A marker in the program's environment: Delve and the program it runs both carry it. */
function newMark(): [string, string] {
  return ['HR_MARK', crypto.randomBytes(6).toString('hex')];
}

/** Live processes carrying the mark, by command name ("dlv", the program), the supervisor's reapers left out. */
function marked(mark: [string, string], ...more: string[]): string[] {
  return processesWithEnv(`${mark[0]}=${mark[1]}`, ...more)
    .map((pid) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim())
    .filter((name) => name !== 'hotreload-super');
}

/** The program's command name as /proc shows it (15 characters at most). */
const programName = (dir: string) => path.basename(dir).slice(0, 15);

/** The line of `text` in a file, 1-based. */
function lineOf(file: string, text: string): number {
  return (
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

test('restart under Delve: one debug session across reloads, breakpoints hit in each new version, a failed build keeps it, stop leaves nothing', async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const mark = newMark();
  const t = await TestSession.open(dir, { debug: true, strategy: 'restart', env: { PORT: String(port), [mark[0]]: mark[1] } });
  let client: DapClient | undefined;
  try {
    await t.session.start();
    const address = t.session.debugAddress;
    assert.match(address ?? '', /^127\.0\.0\.1:\d+$/, 'the debuggers’ address is on loopback');
    await t.report(1, 120_000);
    await eventually('v1 answers', async () => (await httpGet(port)).body === 'hello, world');
    assert.deepEqual(marked(mark).sort(), ['dlv', programName(dir)].sort(), 'v1 runs under Delve: dlv and the program');
    const v1 = t.session.currentProgram!;
    assert.equal(
      fs.readFileSync(`/proc/${v1.pid}/stat`, 'utf8').split(' ')[3],
      String(processesWithEnv(`${mark[0]}=${mark[1]}`).find((p) => fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'dlv')),
      'the program is Delve’s child',
    );

    const main = path.join(dir, 'main.go');
    const line = lineOf(main, 'fmt.Fprintln(w, greeting())');
    client = await DapClient.connect(address!);
    const init = await client.start({ [main]: [line] });
    assert.equal(init.body?.supportsRestartRequest, true);
    const set = client.events.length;

    // A request stops at the breakpoint in v1; continue lets it answer.
    const answer1 = httpGet(port, '/', 30_000);
    const stop1 = await client.event('stopped', (e) => e.body?.reason === 'breakpoint');
    assert.deepEqual(await client.topFrame(stop1.body!.threadId), { path: main, line, name: 'main.main.func1' });
    assert.ok(t.session.currentProgram?.debugger?.paused, 'the engine knows the program is paused');
    await client.request('continue', { threadId: stop1.body!.threadId });
    assert.equal((await answer1).body, 'hello, world');

    // A save: v2 runs under a new Delve, the same connection stops at the same breakpoint in it.
    setGreeting(dir, 'hello from v2');
    void t.session.notifySaved([path.join(dir, 'greeting.go')]);
    await t.report(2, 120_000);
    await eventually('the relay debugs v2', () => client!.consoleText().includes('debugging v2'));
    const v2 = t.session.currentProgram;
    assert.notEqual(v2.pid, v1.pid);
    assert.ok(fs.readlinkSync(`/proc/${v2.pid}/exe`).includes('/builds/'), 'the program under Delve is the new artifact');
    await eventually('nothing of v1 is left', () => marked(mark, 'HOTRELOAD_VERSION=1').length === 0, { timeoutMs: 5000 });
    assert.deepEqual(marked(mark).sort(), ['dlv', programName(dir)].sort(), 'one Delve and one program');
    // The report comes once v2 runs (the engine knows no port to probe): a request waits until it listens.
    await eventually('v2 listens', () => accepts(port));
    const answer2 = httpGet(port, '/', 30_000);
    const stop2 = await client.nextEvent('stopped', (e) => e.body?.reason === 'breakpoint');
    assert.equal((await client.topFrame(stop2.body!.threadId)).line, line);
    assert.deepEqual(stop1.body!.hitBreakpointIds, stop2.body!.hitBreakpointIds, 'the breakpoint has the id the client knows');
    await client.request('continue', { threadId: stop2.body!.threadId });
    assert.equal((await answer2).body, 'hello from v2');

    // A failed build: v2 and its debug session go on.
    fs.writeFileSync(path.join(dir, 'greeting.go'), 'package main\n\nfunc greeting() string {\n\treturn "broken" )\n}\n');
    void t.session.notifySaved([path.join(dir, 'greeting.go')]);
    assert.equal((await t.report(3, 60_000)).outcome, 'build-failed');
    const answer3 = httpGet(port, '/', 30_000);
    const stop3 = await client.nextEvent('stopped', (e) => e.body?.reason === 'breakpoint');
    await client.request('continue', { threadId: stop3.body!.threadId });
    assert.equal((await answer3).body, 'hello from v2');
    assert.equal(t.session.currentProgram?.pid, v2.pid);
    assert.ok(!client.events.slice(set).some((e) => e.event === 'terminated'), 'the client never saw its session end');

    // Stop: the client's session ends, and no dlv or program is left.
    await t.dispose();
    await client.event('terminated');
    assert.deepEqual(marked(mark), [], 'no dlv and no program after stop');
  } finally {
    client?.close();
    await t.dispose();
    killProcessesWithEnv(`${mark[0]}=${mark[1]}`);
  }
});

const SHUTDOWN_MAIN = `package main

import (
\t"fmt"
\t"log"
\t"net/http"
\t"os"
\t"os/signal"
\t"syscall"
)

func main() {
\tmux := http.NewServeMux()
\tmux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, greeting()) })
\tgo func() { log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), mux)) }()
\tstop := make(chan os.Signal, 1)
\tsignal.Notify(stop, syscall.SIGTERM)
\t<-stop
\tshutDown()
}

func shutDown() {
\tfmt.Println("shut down cleanly: v" + os.Getenv("HOTRELOAD_VERSION"))
}
`;

test('a breakpoint in the shutdown path holds neither a reload nor the stop: a version let go is resumed whenever it pauses', async () => {
  const dir = copyExample('hello');
  const main = path.join(dir, 'main.go');
  fs.writeFileSync(main, SHUTDOWN_MAIN);
  const port = await freePort();
  const mark = newMark();
  const t = await TestSession.open(dir, { debug: true, strategy: 'restart', gracePeriodMs: 3000, env: { PORT: String(port), [mark[0]]: mark[1] } });
  let client: DapClient | undefined;
  try {
    await t.session.start();
    await t.report(1, 120_000);
    await eventually('v1 answers', async () => (await httpGet(port)).body === 'hello, world');
    client = await DapClient.connect(t.session.debugAddress!);
    await client.start({ [main]: [lineOf(main, 'shut down cleanly')] });

    setGreeting(dir, 'hello from v2');
    void t.session.notifySaved([path.join(dir, 'greeting.go')]);
    await t.report(2, 120_000);
    // Held at the breakpoint, v1 would be killed at the end of the grace period without printing.
    await eventually('v1 ran its shutdown to the end', () => t.output.includes('shut down cleanly: v1'), { timeoutMs: 15_000 });
    await t.dispose();
    assert.match(t.output, /shut down cleanly: v2/, 'the stop ran v2’s shutdown to the end too');
    assert.ok(!client.events.some((e) => e.event === 'stopped'), 'the client never saw a version it no longer debugs pause');
  } finally {
    client?.close();
    await t.dispose();
    killProcessesWithEnv(`${mark[0]}=${mark[1]}`);
  }
});

test('a program that exits under Delve takes its dlv with it; the debugger’s Stop stops hot reload; the address is the one asked for, for one client', async () => {
  const dir = copyExample('hello');
  fs.appendFileSync(path.join(dir, 'main.go'), '\nfunc init() {\n\thttp.HandleFunc("/exit", func(http.ResponseWriter, *http.Request) { os.Exit(3) })\n}\n');
  fs.writeFileSync(
    path.join(dir, 'main.go'),
    fs.readFileSync(path.join(dir, 'main.go'), 'utf8').replace('mux := http.NewServeMux()', 'mux := http.DefaultServeMux'),
  );
  const port = await freePort();
  const debugPort = await freePort();
  const mark = newMark();
  const t = await TestSession.open(dir, {
    debug: true,
    debugAddress: `127.0.0.1:${debugPort}`,
    env: { PORT: String(port), [mark[0]]: mark[1] },
    crashWindowMs: 0,
  });
  let client: DapClient | undefined;
  try {
    await t.session.start();
    assert.equal(t.session.debugAddress, `127.0.0.1:${debugPort}`);
    await t.report(1, 120_000);
    client = await DapClient.connect(t.session.debugAddress);
    await client.start();
    const second = await DapClient.connect(t.session.debugAddress);
    const refused = await second.request('initialize', { adapterID: 'x' });
    assert.equal(refused.success, false);
    assert.match(refused.message ?? '', /another debugger is attached/);
    second.close();

    await httpGet(port, '/exit').catch(() => undefined);
    await eventually('the program exited', () => t.session.currentState === 'crashed', { timeoutMs: 10_000 });
    await eventually('its dlv is gone too', () => marked(mark).length === 0, { timeoutMs: 5000 });
    await eventually('the client is told', () => client!.consoleText().includes('v1 exited with status 3'));
    assert.ok(!client.events.some((e) => e.event === 'terminated'), 'the debug session goes on for the next version');

    // The debug toolbar's Stop (disconnect, terminating the debuggee): hot reload stops.
    t.session.restart();
    await t.report(2, 60_000);
    await client.request('disconnect', { terminateDebuggee: true });
    await eventually('the session stopped', () => t.session.currentState === 'stopped', { timeoutMs: 15_000 });
    assert.deepEqual(marked(mark), []);
  } finally {
    client?.close();
    await t.dispose();
    killProcessesWithEnv(`${mark[0]}=${mark[1]}`);
  }
});

test('handoff under Delve: a breakpoint before ready holds the new version past readyTimeoutMs without it being stopped; the old one serves meanwhile', async () => {
  const dir = copyExampleForBuild('handoff');
  const port = await freePort();
  const mark = newMark();
  const t = await TestSession.open(dir, {
    debug: true,
    strategy: 'handoff',
    listenAddress: `127.0.0.1:${port}`,
    readyTimeoutMs: 1500,
    drainTimeoutMs: 1000,
    env: { [mark[0]]: mark[1] },
  });
  let client: DapClient | undefined;
  try {
    await t.session.start();
    await t.report(1, 120_000);
    await eventually('v1 takes the socket the supervisor holds, through Delve', async () => /^hello/.test((await httpGet(port)).body));
    client = await DapClient.connect(t.session.debugAddress!);
    const main = path.join(dir, 'main.go');
    const line = lineOf(main, 'srv := &http.Server');
    await client.start({ [main]: [line] });

    setGreeting(dir, 'handed off under the debugger');
    void t.session.notifySaved([path.join(dir, 'greeting.go')]);
    const stopped = await client.nextEvent('stopped', (e) => e.body?.reason === 'breakpoint', 120_000);
    assert.equal((await client.topFrame(stopped.body!.threadId)).line, line);
    await new Promise((r) => setTimeout(r, 2500)); // past readyTimeoutMs, paused
    assert.equal(t.reports().length, 1, `no report while v2 is paused before ready: ${JSON.stringify(t.reports().map((r) => r.outcome))}`);
    assert.match((await httpGet(port)).body, /^hello/, 'v1 serves while v2 is paused');
    await client.request('continue', { threadId: stopped.body!.threadId });
    const report = await t.report(2, 60_000);
    assert.equal(report.outcome, 'handed-off', JSON.stringify(report));
    assert.equal((await httpGet(port)).body, 'handed off under the debugger');
    await eventually('v1 and its dlv drained away', () => marked(mark, 'HOTRELOAD_VERSION=1').length === 0, { timeoutMs: 10_000 });
    await t.dispose();
    assert.deepEqual(marked(mark), []);
  } finally {
    client?.close();
    await t.dispose();
    killProcessesWithEnv(`${mark[0]}=${mark[1]}`);
  }
});

test('the CLI with --debug prints the address; a SIGKILLed engine leaves no dlv and no program', async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const mark = newMark();
  const engine = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), '--debug', '--env', `PORT=${port}`, '--env', `${mark[0]}=${mark[1]}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  engine.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const address = await eventually('the CLI prints the debuggers’ address', () => /connect a debugger \(DAP\) to (127\.0\.0\.1:\d+)/.exec(stderr)?.[1], {
      timeoutMs: 60_000,
    });
    await eventually('v1 serves', async () => (await httpGet(port)).body === 'hello, world', { timeoutMs: 120_000 });
    const client = await DapClient.connect(address);
    await client.start();
    assert.deepEqual(marked(mark).sort(), ['dlv', programName(dir)].sort());
    engine.kill('SIGKILL');
    await eventually('nothing of the program is left after the engine was SIGKILLed', () => marked(mark).length === 0, { timeoutMs: 3000 });
    client.close();
  } finally {
    engine.kill('SIGKILL');
    killProcessesWithEnv(`${mark[0]}=${mark[1]}`);
  }
});

test('debug without Delve: one error that says how to install it, with the command to run', async () => {
  const dir = copyExample('hello');
  const { session, problems } = await openSession(dir, [{ debug: true, delvePath: path.join(dir, 'no-such-dlv') }]);
  assert.equal(session, undefined);
  const problem = problems.find((p) => p.severity === 'error');
  assert.match(problem?.message ?? '', /go install github\.com\/go-delve\/delve\/cmd\/dlv@latest/);
  assert.deepEqual(problem?.fix, { label: 'Install Delve', command: 'go install github.com/go-delve/delve/cmd/dlv@latest' });
});
