/**
 * The reload loop on another machine: a running Docker container (a FROM scratch image: nothing
 * inside but its own program) and a host over SSH, both real. Built here, shipped, run under the
 * supervisor there: handoffs lose no request, a compile error keeps the far version serving, a
 * version that panics on start is rolled back with the diagnostic at the local file's line, the
 * engine killed outright takes the far program with it, a restarted container is picked up again,
 * and Stop leaves nothing of ours running there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setGreeting, TestSession } from './harness';
import { copyExampleForBuild, reloadsUnderLoad } from './zeroDowntime';
import { repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { containerFiles, containerProcesses, dockerMissing, skipUnless, sshdMissing, startContainer, startSshd } from '../support/remote';
import { eventually } from '../support/waiting';

const noDocker = skipUnless(dockerMissing());
const noSshd = skipUnless(sshdMissing());

/** Only the container's own program runs in it: nothing of ours. */
function onlyInit(name: string): boolean {
  const procs = containerProcesses(name);
  return procs.length === 1 && procs[0] === '/idle';
}

test('docker: a FROM scratch container takes 50 handoffs under load with no failed request', { skip: noDocker }, async () => {
  const container = startContainer();
  try {
    const { load } = await reloadsUnderLoad('handoff', 50, async () => undefined, { container: container.name });
    assert.equal(load?.failed, 0);
    assert.ok(onlyInit(container.name), `left in the container: ${containerProcesses(container.name).join('; ')}`);
  } finally {
    container.remove();
  }
});

test(
  "docker: a compile error keeps the far version serving; a panic on start is rolled back with the diagnostic at the local file's line",
  { skip: noDocker },
  async () => {
    const container = startContainer();
    try {
      await compileErrorAndPanic(container);
    } finally {
      container.remove();
    }
  },
);

/** The far version keeps serving through a compile error; a panic on start is rolled back; Stop leaves nothing. */
async function compileErrorAndPanic(container: { name: string }): Promise<void> {
  const dir = copyExampleForBuild('handoff');
  const port = await freePort();
  const t = await TestSession.open(dir, { container: container.name, env: { PORT: String(port) } }, { watch: false });
  try {
    await t.session.start();
    const first = await t.report(1, 120_000);
    assert.equal(first.outcome, 'started', first.message);
    assert.equal((await httpGet(port)).body, 'hello, world');
    assert.ok(
      containerProcesses(container.name).some((p) => p.includes('/.hotreload/builds/v1/')),
      'v1 runs in the container',
    );
    const state = t.events.filter((e) => e.type === 'state').pop();
    assert.equal(state?.type === 'state' ? state.target : undefined, container.name, 'the state says where the program runs');

    const greeting = path.join(dir, 'greeting.go');
    fs.writeFileSync(greeting, 'package main\n\nfunc greeting() string {\n\treturn "unfinished\n}\n');
    void t.session.notifySaved([greeting]);
    const broken = await t.report(2, 60_000);
    assert.equal(broken.outcome, 'build-failed');
    assert.match(broken.message ?? '', /v1 still serving/);
    assert.equal((await httpGet(port)).body, 'hello, world', 'the container still serves v1');

    fs.writeFileSync(greeting, 'package main\n\nfunc init() {\n\tvar m map[string]int\n\tm["boom"] = 1\n}\n\nfunc greeting() string { return "never" }\n');
    void t.session.notifySaved([greeting]);
    const panicked = await t.report(3, 60_000);
    assert.equal(panicked.outcome, 'rolled-back', panicked.message);
    const diagnostics = t.lastDiagnostics();
    assert.equal(diagnostics[0]?.source, 'panic');
    assert.equal(diagnostics[0]?.file, greeting, 'the panic points at the local file');
    assert.equal(diagnostics[0]?.line, 5);
    assert.equal((await httpGet(port)).body, 'hello, world', 'v1 serves again');

    setGreeting(dir, 'hello from the container');
    void t.session.notifySaved([greeting]);
    assert.equal((await t.report(4, 60_000)).outcome, 'handed-off');
    assert.equal((await httpGet(port)).body, 'hello from the container');
  } finally {
    await t.dispose();
  }
  assert.ok(onlyInit(container.name), `after Stop the container runs: ${containerProcesses(container.name).join('; ')}`);
  assert.deepEqual(containerFiles(container.name, '/.hotreload'), ['hotreload-supervisor'], 'nothing but the supervisor in its work dir');
}

test(
  'docker: the container restarted, the session resumes; an engine gone silent (frozen: a cut network) stops the far program by the watchdog, and it resumes; the engine SIGKILLed, the program in the container is gone within a second',
  { skip: noDocker },
  async () => {
    const container = startContainer();
    const dir = copyExampleForBuild('handoff');
    const port = await freePort();
    const mark = `HR_MARK=${crypto.randomBytes(4).toString('hex')}`;
    const engine = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), '--docker', container.name, '--env', `PORT=${port}`, '--env', mark], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    engine.stderr.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await eventually('the container serves', async () => (await httpGet(port)).body === 'hello, world', { timeoutMs: 120_000 });
      const docker = await import('node:child_process');
      docker.execFileSync('docker', ['restart', '-t', '1', container.name]);
      await eventually(
        () => `the program is back in the restarted container (log: ${log.slice(-400)})`,
        async () => (await httpGet(port)).body === 'hello, world',
        { timeoutMs: 60_000 },
      );
      assert.match(log, /lost the connection to .*; the program there was stopped with it/);
      assert.match(log, /is back: starting the program there again/);

      // No message from the engine (its process frozen, as behind a cut network): the supervisor in
      // the container stops the program after its 5 s watchdog; thawed, the engine resumes there.
      const before = (log.match(/is back: starting the program there again/g) ?? []).length;
      engine.kill('SIGSTOP');
      const frozen = Date.now();
      try {
        await eventually('the watchdog stops the program in the container', () => onlyInit(container.name), { timeoutMs: 9000, intervalMs: 100 });
        console.log(`# docker: the program left the container ${Date.now() - frozen} ms after the engine went silent`);
      } finally {
        engine.kill('SIGCONT');
      }
      await eventually(
        () => `the program is back after the engine thawed (log: ${log.slice(-400)})`,
        async () => (log.match(/is back: starting the program there again/g) ?? []).length > before && (await httpGet(port)).body === 'hello, world',
        { timeoutMs: 60_000 },
      );

      engine.kill('SIGKILL');
      const killed = Date.now();
      await eventually('nothing of ours runs in the container', () => onlyInit(container.name), { timeoutMs: 1500, intervalMs: 50 });
      console.log(`# docker: the program left the container ${Date.now() - killed} ms after the engine's SIGKILL`);
    } finally {
      engine.kill('SIGKILL');
      container.remove();
    }
  },
);

test('ssh: the same loop on a host over SSH: start, reload, stop, and an engine SIGKILL, leaving no agent running', { skip: noSshd }, async () => {
  const sshd = await startSshd();
  const dir = copyExampleForBuild('handoff');
  const port = await freePort();
  const remoteWorkDir = `/tmp/hr-ssh-${crypto.randomBytes(4).toString('hex')}`;
  const agents = () => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && readCmdline(p).includes(`${remoteWorkDir}/hotreload-supervisor`));
  const t = await TestSession.open(dir, { sshHost: sshd.host, sshOptions: sshd.options, remoteWorkDir, env: { PORT: String(port) } }, { watch: false });
  try {
    await t.session.start();
    assert.equal((await t.report(1, 120_000)).outcome, 'started');
    assert.equal((await httpGet(port)).body, 'hello, world');
    assert.ok(agents().length > 0, 'the agent runs on the host');
    setGreeting(dir, 'hello over ssh');
    void t.session.notifySaved([path.join(dir, 'greeting.go')]);
    assert.equal((await t.report(2, 60_000)).outcome, 'handed-off');
    assert.equal((await httpGet(port)).body, 'hello over ssh');
    await t.dispose();
    await eventually('no agent runs after stop', () => agents().length === 0, { timeoutMs: 5000 });
    assert.deepEqual(fs.readdirSync(remoteWorkDir), ['hotreload-supervisor'], 'nothing but the supervisor in its work dir');

    const engine = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'dist', 'cli.js'),
        '--ssh',
        sshd.host,
        ...sshd.options.map((o) => `--ssh-option=${o}`),
        '--remote-work-dir',
        remoteWorkDir,
        '--env',
        `PORT=${port}`,
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    try {
      await eventually('the host serves again', async () => (await httpGet(port)).body === 'hello over ssh', { timeoutMs: 120_000 });
      engine.kill('SIGKILL');
      await eventually('the agent and the program are gone after the engine was SIGKILLed', () => agents().length === 0, { timeoutMs: 1500, intervalMs: 50 });
      await sleep(200);
      await assert.rejects(httpGet(port, '/', 1000), 'nothing serves');
    } finally {
      engine.kill('SIGKILL');
    }
  } finally {
    await t.dispose();
    sshd.stop();
  }
});

function readCmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
