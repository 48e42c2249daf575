/**
 * The proxy strategy with a program that listens on a port of its own instead of the one in PORT
 * (issue 11, item 1). Colliding with the proxy's port, it dies with "address already in use"; on
 * another port it runs but never serves where the proxy looks. Either way the user reads what
 * happened and the two fixes (read PORT, or restart/handoff) in the log, the report, the state the
 * status bar shows and a Problems entry on the line naming the port; clients of the proxy get a
 * 503 saying so at once, not a hang. Once the program reads PORT it serves. The CLI prints the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { runCli } from './cliRun';
import { TestSession } from './harness';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

/** A Go web program listening on `listen` (a Go expression), ignoring errors as many do: it exits 0. */
function program(listen: string): string {
  return `package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello from my app") })
	fmt.Println("my app starting")
	if err := http.ListenAndServe(${listen}, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
`;
}

function project(listen: string): string {
  const dir = tempDir('hr-fixedport-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/fixedport\n\ngo 1.21\n');
  fs.writeFileSync(path.join(dir, 'main.go'), program(listen));
  return dir;
}

const FIXES =
  /With the proxy strategy the program must listen on the port in the PORT environment variable \(a fresh one per version\): make it read PORT, or set strategy to restart or handoff/;

function logs(t: TestSession): string[] {
  return t.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
}

function lastState(t: TestSession) {
  const states = t.events.flatMap((e) => (e.type === 'state' ? [e] : []));
  return states[states.length - 1];
}

test('proxy: a program on the proxy port says "address already in use" and the two fixes, clients get a 503 at once; reading PORT fixes it', async () => {
  const proxyPort = await freePort();
  const dir = project(`":${proxyPort}"`);
  // A ready wait far longer than any request below: only the detected collision answers them.
  const t = await TestSession.open(dir, { strategy: 'proxy', proxyPort, readyTimeoutMs: 120_000 });
  try {
    await t.session.start();
    const first = await t.report(1, 120_000);
    assert.equal(first.outcome, 'crashed', first.message);
    const said = `v1 could not listen on port ${proxyPort}: address already in use (the proxy listens there). It listens on a fixed port instead of the one it was given in PORT`;
    assert.ok(first.message?.startsWith(said), first.message);
    assert.match(first.message ?? '', FIXES);
    assert.ok(
      logs(t).some((l) => l.startsWith(`v1 failed to start: ${said}`) && FIXES.test(l)),
      logs(t).join('\n'),
    );

    const state = lastState(t);
    assert.equal(state.state, 'crashed');
    assert.equal(state.headline, `port ${proxyPort} in use`, 'the status bar names the port, not "crashed"');
    assert.match(state.detail ?? '', FIXES);

    const [problem] = t.lastDiagnostics();
    assert.ok(problem, 'a Problems entry');
    assert.equal(problem.file, path.join(dir, 'main.go'));
    assert.equal(problem.line, 12, 'on the line that names the port');
    assert.equal(problem.source, 'proxy');
    assert.match(problem.message, FIXES);

    const answer = await httpGet(proxyPort, '/', 20_000);
    assert.equal(answer.status, 503);
    assert.match(answer.body, new RegExp(`^hotreload proxy: the program is not serving: v1 could not listen on port ${proxyPort}: address already in use`));

    // The fix the message gives: read PORT. The next build serves, and the 503 is gone.
    fs.writeFileSync(path.join(dir, 'main.go'), program('":" + os.Getenv("PORT")'));
    const fixed = await t.report(2, 120_000);
    assert.equal(fixed.outcome, 'started', fixed.message);
    assert.deepEqual(await httpGet(proxyPort), { status: 200, body: 'hello from my app' });
    assert.deepEqual(t.lastDiagnostics(), [], 'the problem is cleared');
  } finally {
    await t.dispose();
  }
});

test('proxy: a program that serves on another port of its own is stopped, and the message names that port and the two fixes', async () => {
  const [proxyPort, ownPort] = [await freePort(), await freePort()];
  const dir = project(`"127.0.0.1:${ownPort}"`);
  const t = await TestSession.open(dir, { strategy: 'proxy', proxyPort, readyTimeoutMs: 3000 });
  try {
    await t.session.start();
    const first = await t.report(1, 120_000);
    assert.equal(first.outcome, 'crashed', first.message);
    assert.match(
      first.message ?? '',
      new RegExp(
        `^v1 listens on port ${ownPort} instead of the one it was given in PORT \\(\\d+\\), so the proxy cannot reach it; it was stopped after 3000 ms\\. `,
      ),
    );
    assert.match(first.message ?? '', FIXES);
    assert.equal(lastState(t).headline, `listening on ${ownPort}, not PORT`);
    const [problem] = t.lastDiagnostics();
    assert.equal(problem?.line, 12, 'on the line that names the port');
    const answer = await httpGet(proxyPort, '/', 20_000);
    assert.equal(answer.status, 503);
    assert.match(answer.body, new RegExp(`v1 listens on port ${ownPort} instead`));
  } finally {
    await t.dispose();
  }
});

test('proxy: a clash on a side port of its own does not stop a version that then serves on PORT', async () => {
  const proxyPort = await freePort();
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const sidePort = (taken.address() as net.AddressInfo).port;
  const dir = tempDir('hr-sideport-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/sideport\n\ngo 1.21\n');
  // The side listener fails first (its error printed, as many do), then the program serves on PORT.
  const main = program('":" + os.Getenv("PORT")').replace(
    '\tfmt.Println("my app starting")\n',
    `\tif _, err := net.Listen("tcp", "127.0.0.1:${sidePort}"); err != nil {\n\t\tfmt.Fprintln(os.Stderr, err)\n\t}\n\ttime.Sleep(300 * time.Millisecond)\n`,
  );
  fs.writeFileSync(path.join(dir, 'main.go'), main.replace('"net/http"', '"net"\n\t"net/http"\n\t"time"'));
  const t = await TestSession.open(dir, { strategy: 'proxy', proxyPort, readyTimeoutMs: 60_000 });
  try {
    await t.session.start();
    const first = await t.report(1, 120_000);
    assert.equal(first.outcome, 'started', first.message);
    const clash = new RegExp(`listen tcp 127\\.0\\.0\\.1:${sidePort}: bind: address already in use`);
    await eventually('its side clash is in its output', () => clash.test(t.output));
    assert.deepEqual(await httpGet(proxyPort), { status: 200, body: 'hello from my app' });
  } finally {
    await t.dispose();
    taken.close();
  }
});

test('proxy: a program that never listens at all is stopped at the ready timeout with the two fixes', async () => {
  const proxyPort = await freePort();
  const dir = tempDir('hr-noport-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/noport\n\ngo 1.21\n');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nimport "time"\n\nfunc main() { time.Sleep(time.Hour) }\n');
  const t = await TestSession.open(dir, { strategy: 'proxy', proxyPort, readyTimeoutMs: 2000 });
  try {
    await t.session.start();
    const first = await t.report(1, 120_000);
    assert.equal(first.outcome, 'crashed', first.message);
    assert.match(first.message ?? '', /^v1 did not accept connections on port \d+ \(the PORT it was given\) within 2000 ms, so it was stopped\. /);
    assert.match(first.message ?? '', FIXES);
    assert.equal(lastState(t).headline, 'not listening on PORT');
  } finally {
    await t.dispose();
  }
});

test('proxy: a Node program on the proxy port: its EADDRINUSE is told the same way, on the line naming the port', async () => {
  const proxyPort = await freePort();
  const dir = tempDir('hr-fixedport-node-');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fixedport', version: '1.0.0', private: true, type: 'module' }));
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `import * as http from 'node:http';\n\nconst server = http.createServer((req, res) => res.end('hello'));\nserver.listen(${proxyPort});\n`,
  );
  const t = await TestSession.open(dir, { strategy: 'proxy', proxyPort, readyTimeoutMs: 120_000 });
  try {
    await t.session.start();
    const first = await t.report(1, 120_000);
    assert.equal(first.outcome, 'crashed', first.message);
    assert.ok(first.message?.startsWith(`v1 could not listen on port ${proxyPort}: address already in use (the proxy listens there).`), first.message);
    assert.match(first.message ?? '', FIXES);
    const [problem] = t.lastDiagnostics();
    assert.deepEqual([problem?.file, problem?.line, problem?.source], [path.join(dir, 'server.js'), 4, 'proxy']);
    assert.equal((await httpGet(proxyPort, '/', 20_000)).status, 503);
  } finally {
    await t.dispose();
  }
});

test('proxy: the CLI prints the same: the collision, the two fixes and the line that names the port', async () => {
  const proxyPort = await freePort();
  const dir = project(`":${proxyPort}"`);
  const cli = runCli(dir, ['--strategy', 'proxy', '--proxy-port', String(proxyPort), '--ready-timeout', '120000', '--no-color']);
  try {
    const failed = await cli.line(/^\[hotreload\] v1 failed to start: /, 120_000);
    assert.ok(failed.includes(`v1 could not listen on port ${proxyPort}: address already in use (the proxy listens there)`), failed);
    assert.match(failed, FIXES);
    const where = await cli.line(/^\[hotreload\] main\.go:12: /);
    assert.match(where, FIXES);
    await cli.line(/^\[hotreload\] v1 crashed · start · /);
    await eventually('the proxy answers 503 at once', async () => (await httpGet(proxyPort, '/', 20_000)).status === 503);
  } finally {
    await cli.stop();
  }
});

test('proxy: before the first version serves (its build under way, or failed) the proxy already answers, with a 503 that says so', async () => {
  const proxyPort = await freePort();
  const dir = project('":" + os.Getenv("PORT")');
  fs.writeFileSync(
    path.join(dir, 'main.go'),
    fs.readFileSync(path.join(dir, 'main.go'), 'utf8').replace('fmt.Println("my app starting")', 'fmt.Println("my app starting"'),
  );
  const t = await TestSession.open(dir, { strategy: 'proxy', proxyPort, readyTimeoutMs: 120_000 });
  try {
    await t.session.start();
    assert.equal((await t.report(1, 120_000)).outcome, 'build-failed');
    const answer = await httpGet(proxyPort, '/', 20_000);
    assert.equal(answer.status, 503, 'answered, not refused');
    assert.match(answer.body, /no version of the program serves yet: its first build is under way \(or failed: see the build errors\)/);

    fs.writeFileSync(path.join(dir, 'main.go'), program('":" + os.Getenv("PORT")'));
    assert.equal((await t.report(2, 120_000)).outcome, 'started');
    assert.deepEqual(await httpGet(proxyPort), { status: 200, body: 'hello from my app' });
  } finally {
    await t.dispose();
  }
});
