/**
 * A session the CLI runs, driven from another terminal as a script or an agent does: `hotreload
 * wait` after an edit, a burst of writes, a compile error and a crash on start, with nothing
 * changed; `status --json`, `logs --since`, `stop`; and another user, who cannot get in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './cliRun';
import { hotreload, runDirEnv } from './controlCli';
import { setGreeting } from './harness';
import { copyExample } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesUnder } from '../support/processes';
import type { Status } from '../../src/engine';

const BROKEN = 'package main\n\nfunc greeting() string {\n\treturn 42\n}\n';
const PANICS = 'package main\n\nfunc init() {\n\tvar m map[string]int\n\tm["boom"] = 1\n}\n\nfunc greeting() string {\n\treturn "never"\n}\n';

test('wait after an edit, with nothing changed, after a compile error and a crash on start; status, logs and stop', { timeout: 600_000 }, async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const env = { ...runDirEnv(), PORT: String(port) };
  const session = runCli(dir, [], env);
  try {
    await session.line(/v1 started/, 180_000);

    const same = await hotreload(['wait'], dir, env);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, new RegExp(`^v1 serves at http://localhost:${port}/ \\(pid \\d+, restart, waited \\d+ ms\\)\\n$`));

    // One edit: once wait returns, the new version answers the first request.
    setGreeting(dir, 'hello, waited');
    const edited = await hotreload(['wait', '--timeout', '3m'], dir, env);
    assert.equal(edited.code, 0, edited.stderr);
    assert.match(edited.stdout, new RegExp(`^v2 serves at http://localhost:${port}/ `));
    assert.equal((await httpGet(port)).body, 'hello, waited');
    assert.equal(session.stderr().match(/\] v\d+ restarted/g)?.length, 1, 'one reload');

    const status = JSON.parse((await hotreload(['status', '--json'], dir, env)).stdout) as Status & { root: string; frontEnd: string };
    assert.equal(status.state, 'running');
    assert.equal(status.version, 2);
    assert.equal(status.pid, Number((await httpGet(port, '/pid')).body));
    assert.equal(status.address, `http://localhost:${port}/`);
    assert.equal(status.strategy, 'restart');
    assert.equal(status.root, dir);
    assert.equal(status.frontEnd, 'cli');
    assert.equal(status.reloading, false);
    assert.equal(status.lastReload?.outcome, 'restarted');
    assert.deepEqual(
      status.lastReload?.changedFiles.map((f) => f.path),
      [path.join(dir, 'greeting.go')],
    );
    for (const [phase, ms] of Object.entries(status.lastReload?.phases ?? {})) assert.equal(typeof ms, 'number', phase);
    assert.equal(Object.keys(status.lastReload?.phases ?? {}).length, 5);
    assert.match(status.lastReloadLine ?? '', /^v2 restarted · change · \d+ ms/);
    assert.deepEqual(status.errors, []);

    // Restart with no source changed: the same version again in a new process, then as wait answers.
    const restarted = await hotreload(['restart'], dir, env);
    assert.equal(restarted.code, 0, restarted.stderr);
    const restartedPid = Number(/\(pid (\d+),/.exec(restarted.stdout)?.[1]);
    assert.notEqual(restartedPid, status.pid, restarted.stdout);
    assert.equal(Number((await httpGet(port, '/pid')).body), restartedPid, 'the new process answers');

    // A compile error: its place and message, relative to where wait runs; v2 still serves.
    fs.writeFileSync(path.join(dir, 'greeting.go'), BROKEN);
    const broken = await hotreload(['wait'], dir, env);
    assert.equal(broken.code, 1, broken.stderr);
    assert.match(broken.stderr, /^greeting\.go:4:9: cannot use 42 .*$/m);
    assert.match(broken.stderr, /v2 still serving/);
    assert.equal((await httpGet(port)).body, 'hello, waited');
    const { errors } = JSON.parse((await hotreload(['status', '--json'], dir, env)).stdout) as Status;
    assert.deepEqual(
      errors.map((e) => [e.file, e.line, e.column]),
      [[path.join(dir, 'greeting.go'), 4, 9]],
    );

    // A crash on start: the panic with its line; the last good version serves again.
    fs.writeFileSync(path.join(dir, 'greeting.go'), PANICS);
    const crashed = await hotreload(['wait'], dir, env);
    assert.equal(crashed.code, 3, `${crashed.stdout}${crashed.stderr}`);
    assert.match(crashed.stderr, /^greeting\.go:5: panic: assignment to entry in nil map/m);
    assert.match(crashed.stderr, /v3 crashed on start/);

    // The log since v2: v2's and v3's output and the reload log from v2's report on, nothing of v1.
    const logs = await hotreload(['logs', '--since', 'v2', '--json'], dir, env);
    assert.equal(logs.code, 0, logs.stderr);
    const entries = logs.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; version?: number; text: string });
    const outputVersions = new Set(entries.filter((e) => e.kind === 'output').map((e) => e.version));
    assert.ok(outputVersions.has(2) && outputVersions.has(3) && !outputVersions.has(1), JSON.stringify([...outputVersions]));
    assert.match(entries.find((e) => e.kind === 'engine')?.text ?? '', /^v2 restarted/);
    const text = await hotreload(['logs', '--since', 'v2'], dir, env);
    assert.match(text.stdout, /^\[hotreload\] v2 restarted/m);
    assert.match(text.stdout, /^panic: assignment to entry in nil map$/m, "v3's own output");
    assert.doesNotMatch(text.stdout, /v1 started/);
    assert.equal((await hotreload(['logs', '--lines', '1'], dir, env)).stdout.split('\n').filter(Boolean).length, 1);

    const stop = await hotreload(['stop'], dir, env);
    assert.equal(stop.code, 0, stop.stderr);
    const code = await new Promise((resolve) => (session.child.exitCode !== null ? resolve(session.child.exitCode) : session.child.once('exit', resolve)));
    assert.equal(code, 0, 'hotreload stop ends the session as a clean exit');
    const after = await hotreload(['status'], dir, env);
    assert.equal(after.code, 5);
    assert.match(after.stderr, /no Hot Reload session runs for/);
  } finally {
    await session.stop();
    killProcessesUnder(dir);
  }
});

test('wait after a burst of ten writes: one build, one answer, every file in it', { timeout: 600_000 }, async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const env = { ...runDirEnv(), PORT: String(port) };
  const session = runCli(dir, [], env);
  try {
    await session.line(/v1 started/, 180_000);
    const after = session.stderr().length;
    // Nine new files, then the greeting that uses them all: ten writes back to back, as a checkout or
    // a formatter makes them. (Spaced out with timers, a loaded machine stalled the writer for longer
    // than a build, so the first files built on their own: the test measured the machine.)
    for (let i = 0; i < 9; i++) fs.writeFileSync(path.join(dir, `part${i}.go`), `package main\n\nconst part${i} = "${i}"\n`);
    fs.writeFileSync(
      path.join(dir, 'greeting.go'),
      `package main\n\nfunc greeting() string {\n\treturn "burst " + ${Array.from({ length: 9 }, (_, i) => `part${i}`).join(' + ')}\n}\n`,
    );
    const waited = await hotreload(['wait', '--timeout', '3m'], dir, env);
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stdout.split('\n').filter(Boolean).length, 1, 'one answer');
    assert.match(waited.stdout, /^v2 serves at /);
    assert.equal((await httpGet(port)).body, 'burst 012345678');
    const reloads = session
      .stderr()
      .slice(after)
      .split('\n')
      .filter((l) => /\] v\d+ (restarted|build-failed|rolled-back|crashed)/.test(l));
    assert.equal(reloads.length, 1, `one build: ${reloads.join('\n')}`);
    assert.match(reloads[0], /v2 restarted · .*\+5 more/, 'with the ten files');

    // The engine killed outright: its record and socket are found stale and removed, never connected to.
    const runDir = path.join(env.XDG_RUNTIME_DIR, 'hotreload');
    const sockets = () => fs.readdirSync(runDir).filter((n) => n.startsWith('control-'));
    assert.equal(sockets().length, 2, 'a record and a socket');
    session.child.kill('SIGKILL');
    await new Promise((resolve) =>
      session.child.exitCode !== null || session.child.signalCode !== null ? resolve(null) : session.child.once('exit', resolve),
    );
    const gone = await hotreload(['status'], dir, env);
    assert.equal(gone.code, 5, gone.stderr);
    assert.deepEqual(sockets(), []);
  } finally {
    await session.stop();
    killProcessesUnder(dir);
  }
});

test("another user's connection is refused", { skip: process.getuid?.() !== 0 && 'needs root to run a client as another user', timeout: 600_000 }, async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const env = { ...runDirEnv(), PORT: String(port) };
  const session = runCli(dir, [], env);
  try {
    await session.line(/v1 started/, 180_000);
    const runDir = path.join(env.XDG_RUNTIME_DIR, 'hotreload');
    const socket = fs
      .readdirSync(runDir)
      .filter((n) => n.endsWith('.sock'))
      .map((n) => path.join(runDir, n))[0];
    assert.ok(socket, 'the session has a socket');
    // As nobody: straight at the socket, and through the CLI with the same run directory.
    const script = `require('net').connect(${JSON.stringify(socket)}).on('connect', () => { console.log('connected'); process.exit(0) }).on('error', (e) => { console.log(e.code); process.exit(0) })`;
    const direct = await asNobody([process.execPath, '-e', script], env);
    assert.equal(direct.trim(), 'EACCES');
    const cli = await asNobody([process.execPath, path.join(__dirname, '..', '..', '..', 'dist', 'cli.js'), 'status', '--root', dir], env);
    assert.match(cli, /no Hot Reload session runs for/);
    // This user still gets in.
    assert.equal((await hotreload(['status'], dir, env)).code, 0);
  } finally {
    await session.stop();
    killProcessesUnder(dir);
  }
});

/** Runs a command as the user nobody (uid and gid 65534); what it printed. */
function asNobody(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      uid: 65534,
      gid: 65534,
      cwd: '/',
      env: { ...process.env, ...env, HOME: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(out));
  });
}
