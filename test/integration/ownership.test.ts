/**
 * The supervisor owns every process the engine starts, and nothing else is ever touched: after a
 * reload, a stop or an engine killed outright nothing of the program is left (setsid'd daemons
 * and children of a main that already exited included), no descriptor beyond the protocol's
 * reaches the program, planted records make the engine signal nothing, planted symlinks in a work
 * dir are never followed, and a program that floods its output cannot grow the engine's memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestSession } from './harness';
import { repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';
import { killProcessesWithEnv, processesWithEnv, rssBytes } from '../support/processes';
import { readProcStat } from '../../src/engine/processes/processTree';
import { WORK_SUBDIRS } from '../../src/engine/session/workDir';

const cli = path.join(repoRoot, 'dist', 'cli.js');

/** A private copy of test/fixtures/daemon, whose go.mod points at this checkout's go/hotreload. */
function daemonProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-daemon-'));
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'daemon'), dir, { recursive: true });
  const goMod = path.join(dir, 'go.mod');
  fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8').replace('../../../go/hotreload', path.join(repoRoot, 'go', 'hotreload')));
  return dir;
}

function newMark(): string {
  return `HR_MARK=${crypto.randomBytes(6).toString('hex')}`;
}

/** Runs the CLI in `dir`; `extraFd` gives the engine an inherited descriptor it did not open itself. */
function startCli(dir: string, args: string[], options: { env?: NodeJS.ProcessEnv; extraFd?: boolean; stdout?: 'pipe' | 'ignore' } = {}): ChildProcess {
  const stdio: ('pipe' | 'ignore')[] = ['ignore', options.stdout ?? 'ignore', 'pipe'];
  if (options.extraFd) stdio.push('pipe');
  return spawn(process.execPath, [cli, ...args], { cwd: dir, stdio, env: { ...process.env, ...options.env } });
}

const STRATEGIES = ['restart', 'handoff', 'proxy'] as const;

for (const strategy of STRATEGIES) {
  test(`${strategy}: a reload, a stop and an engine SIGKILL leave nothing of the program, setsid'd daemons included`, async () => {
    const dir = daemonProject();
    const port = await freePort();
    const mark = newMark();
    const [name, value] = mark.split('=');
    const zeroDowntime = strategy !== 'restart' ? { listenAddress: `127.0.0.1:${port}` } : {};
    const t = await TestSession.open(dir, { strategy, env: { PORT: String(port), [name]: value }, gracePeriodMs: 500, drainTimeoutMs: 500, ...zeroDowntime });
    try {
      await t.session.start();
      await eventually('v1 answers', async () => (await httpGet(port)).body.trim() === 'daemon v1', { timeoutMs: 90_000 });
      await eventually('v1 and its daemon run', () => processesWithEnv(mark, 'HOTRELOAD_VERSION=1').length >= 2);
      // An edit: a restart with nothing changed would start v1 again, not build v2.
      fs.appendFileSync(path.join(dir, 'main.go'), '\n// reloaded\n');
      await eventually('v2 answers', async () => (await httpGet(port)).body.trim() === 'daemon v2', { timeoutMs: 60_000 });
      await eventually('nothing of v1 is left after the reload', () => processesWithEnv(mark, 'HOTRELOAD_VERSION=1').length === 0, { timeoutMs: 5000 });
      assert.ok(processesWithEnv(mark, 'HOTRELOAD_VERSION=2').length >= 2, 'v2 and its daemon run');
      await t.dispose();
      assert.deepEqual(processesWithEnv(mark), [], 'nothing of the program is left after stop');
    } finally {
      await t.dispose();
      killProcessesWithEnv(mark);
    }

    // The engine killed outright: the supervisor stops everything on its own.
    const engineMark = newMark();
    const engine = startCli(dir, [
      '--strategy',
      strategy,
      '--env',
      `PORT=${port}`,
      '--env',
      engineMark,
      '--grace',
      '500',
      ...(strategy !== 'restart' ? ['--listen', `127.0.0.1:${port}`] : []),
    ]);
    try {
      await eventually('the CLI serves', async () => /^daemon v1/.test((await httpGet(port)).body), { timeoutMs: 90_000 });
      await eventually('the program and its daemon run', () => processesWithEnv(engineMark).length >= 2);
      engine.kill('SIGKILL');
      const killed = Date.now();
      await eventually('nothing of the program is left after the engine was SIGKILLed', () => processesWithEnv(engineMark).length === 0, { timeoutMs: 1500 });
      console.log(`# ${strategy}: program tree gone ${Date.now() - killed} ms after the engine's SIGKILL`);
    } finally {
      engine.kill('SIGKILL');
      killProcessesWithEnv(engineMark);
    }
  });
}

test('the children of a main that already exited are stopped', async () => {
  const dir = daemonProject();
  const mark = newMark();
  const [name, value] = mark.split('=');
  const t = await TestSession.open(dir, { strategy: 'restart', env: { EXIT_AFTER_SPAWN: '1', [name]: value }, crashWindowMs: 0 });
  try {
    await t.session.start();
    await eventually('v1 exited by itself', () => t.session.currentState === 'idle', { timeoutMs: 90_000 });
    await eventually('its daemon is gone too', () => processesWithEnv(mark).length === 0, { timeoutMs: 2000 });
  } finally {
    await t.dispose();
    killProcessesWithEnv(mark);
  }
});

for (const strategy of ['restart', 'handoff'] as const) {
  test(`${strategy}: no descriptor beyond the protocol's reaches the program, even one the engine inherited`, async () => {
    const dir = daemonProject();
    const port = await freePort();
    const mark = newMark();
    const engine = startCli(
      dir,
      ['--strategy', strategy, '--env', `PORT=${port}`, '--env', mark, ...(strategy === 'handoff' ? ['--listen', `127.0.0.1:${port}`] : [])],
      { extraFd: true },
    );
    try {
      await eventually('the CLI serves', async () => /^daemon v1/.test((await httpGet(port)).body), { timeoutMs: 90_000 });
      const fds = (await httpGet(port, '/fds')).body
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]);
      // The Go runtime's own (epoll, event fds) and its server's sockets are the program's doing.
      const passed = fds.filter(([, target]) => !target.startsWith('anon_inode:') && !target.startsWith('socket:')).map(([fd]) => Number(fd));
      const expected = strategy === 'handoff' ? [0, 1, 2, 4, 5] : [0, 1, 2];
      assert.deepEqual(
        passed.sort((a, b) => a - b),
        expected,
        `descriptors: ${JSON.stringify(fds)}`,
      );
    } finally {
      engine.kill('SIGKILL');
      killProcessesWithEnv(mark);
    }
  });
}

test('planted records (a pids.json in the project, records naming pid 1 or an unrelated process) make the engine signal nothing', async () => {
  const dir = daemonProject();
  const port = await freePort();
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-runtime-'));
  const victim = spawn('sleep', ['300'], { stdio: 'ignore' });
  const victimStart = readProcStat(victim.pid!)!.startTime;
  // A PID namespace whose pid 1 is a plain shell: the engine starts once the records are planted.
  const ns = spawn(
    'unshare',
    [
      '--pid',
      '--fork',
      '--kill-child',
      '--mount-proc',
      'sh',
      '-c',
      `sleep 300 & read go; ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} --env PORT=${port}; wait`,
    ],
    {
      cwd: dir,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
    },
  );
  try {
    const init = await eventually('the namespace has its pid 1', () => {
      const kids = fs.readFileSync(`/proc/${ns.pid}/task/${ns.pid}/children`, 'utf8').trim();
      return kids ? Number(kids.split(' ')[0]) : undefined;
    });
    const initStart = readProcStat(init)!.startTime;
    const planted = [
      { pid: 1, startTime: initStart, command: 'planted', enginePid: 999999 },
      { pid: victim.pid, startTime: victimStart, command: 'planted', enginePid: 999999 },
    ];
    fs.mkdirSync(path.join(dir, '.hotreload'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.hotreload', 'pids.json'), JSON.stringify(planted));
    fs.mkdirSync(path.join(runtime, 'hotreload'), { recursive: true, mode: 0o700 });
    for (const record of planted) {
      const forged = { pid: record.pid, startTime: record.startTime, token: 'forged', enginePid: 999999, engineStartTime: 1 };
      fs.writeFileSync(path.join(runtime, 'hotreload', `supervisor-${record.pid}.json`), JSON.stringify(forged));
    }
    ns.stdin.end('go\n');
    await eventually('the engine in the namespace serves', async () => /^daemon v1/.test((await httpGet(port)).body), { timeoutMs: 90_000 });
    assert.ok(fs.existsSync(`/proc/${init}`), "the namespace's pid 1 is alive");
    assert.equal(readProcStat(victim.pid!)?.startTime, victimStart, 'the unrelated process is alive');
    assert.equal(
      fs.readdirSync(path.join(runtime, 'hotreload')).filter((n) => n === 'supervisor-1.json' || n === `supervisor-${victim.pid}.json`).length,
      0,
      'the forged records were dropped',
    );
  } finally {
    ns.kill('SIGKILL');
    victim.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
  }
});

test('a work dir in the project: planted symlinks are never followed; a work dir that is a symlink is refused', async () => {
  const dir = daemonProject();
  const victim = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-victim-'));
  const victimFile = path.join(victim, 'precious.txt');
  fs.writeFileSync(victimFile, 'untouched\n');
  const work = path.join(dir, '.hotreload');
  fs.mkdirSync(work);
  for (const name of WORK_SUBDIRS) fs.symlinkSync(victim, path.join(work, name));
  fs.symlinkSync(victimFile, path.join(work, '.gitignore'));
  const t = await TestSession.open(dir, { workDir: '.hotreload', strategy: 'restart', env: { EXIT_AFTER_SPAWN: '1' }, crashWindowMs: 0 });
  try {
    await t.session.start();
    await t.report(1, 90_000);
    assert.deepEqual(fs.readdirSync(victim), ['precious.txt'], 'nothing was written through the planted links');
    assert.equal(fs.readFileSync(victimFile, 'utf8'), 'untouched\n');
    assert.equal(fs.lstatSync(path.join(work, 'builds')).isSymbolicLink(), false);
    assert.equal(fs.statSync(work).mode & 0o777, 0o700);
  } finally {
    await t.dispose();
  }

  const linked = daemonProject();
  fs.symlinkSync(victim, path.join(linked, '.hotreload'));
  const refused = await TestSession.open(linked, { workDir: '.hotreload' });
  await assert.rejects(refused.session.start(), /cannot use the work dir .*: it is a symbolic link; set hotReload.workDir/);
  await refused.dispose();
  assert.deepEqual(fs.readdirSync(victim), ['precious.txt']);

  // By default the work dir is outside the project, private to the user.
  const plain = daemonProject();
  const d = await TestSession.open(plain, { strategy: 'restart', env: { EXIT_AFTER_SPAWN: '1' }, crashWindowMs: 0 });
  try {
    await d.session.start();
    await d.report(1, 90_000);
    assert.equal(fs.existsSync(path.join(plain, '.hotreload')), false);
    assert.ok(!d.session.settings.workDir.startsWith(plain));
    assert.equal(fs.statSync(d.session.settings.workDir).mode & 0o777, 0o700);
  } finally {
    await d.dispose();
  }
});

test("a program flooding its output while nobody reads the engine's stdout: the engine's memory stays flat", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-flood-'));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/flood\n\ngo 1.19\n');
  fs.writeFileSync(
    path.join(dir, 'main.go'),
    'package main\n\nimport (\n\t"bytes"\n\t"os"\n)\n\nfunc main() {\n\tline := bytes.Repeat([]byte("flood "), 10922)\n\tfor {\n\t\tos.Stdout.Write(line)\n\t}\n}\n',
  );
  const mark = newMark();
  // stdout is a pipe nobody reads: `hotreload | less` left alone.
  const engine = startCli(dir, ['--env', mark], { stdout: 'pipe' });
  try {
    await eventually('the flood runs', () => processesWithEnv(mark).length >= 1, { timeoutMs: 90_000 });
    const started = Date.now();
    let peak = 0;
    while (Date.now() - started < 8000) {
      peak = Math.max(peak, rssBytes(engine.pid!));
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`# flood: engine RSS peak ${(peak / 1024 / 1024).toFixed(1)} MB over 8 s with its stdout unread`);
    assert.ok(peak < 150 * 1024 * 1024, `the engine grew to ${(peak / 1024 / 1024).toFixed(0)} MB`);
  } finally {
    engine.kill('SIGKILL');
    killProcessesWithEnv(mark);
  }
});
