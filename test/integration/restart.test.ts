import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { atomicWrite, setGreeting, startSession, TestSession } from './harness';
import { groupMembers, isAlive } from '../../src/engine/processes/processTree';
import { copyExample } from '../support/examples';
import { tempDir } from '../support/files';
import { withWrappedGo } from '../support/goOnPath';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

test('an edit rebuilds and the new version serves', async () => {
  const dir = copyExample('hello');
  const { t, port, first } = await startSession(dir);
  try {
    assert.equal(first.outcome, 'started');
    assert.equal(first.version, 1);
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'hello, world');
    const pid1 = Number((await httpGet(port, '/pid')).body);

    setGreeting(dir, 'hello, reloaded');
    const second = await t.report(2);
    assert.equal(second.outcome, 'restarted');
    assert.equal(second.version, 2);
    assert.deepEqual(
      second.changedFiles.map((f) => path.basename(f.path)),
      ['greeting.go'],
    );
    assert.ok(second.phases.buildMs > 0, 'build time is measured');
    const body = await eventually('v2 answers', async () => {
      const r = await httpGet(port);
      return r.body === 'hello, reloaded' ? r.body : undefined;
    });
    assert.equal(body.trim(), 'hello, reloaded');
    const pid2 = Number((await httpGet(port, '/pid')).body);
    assert.notEqual(pid1, pid2, 'a new process serves');
    assert.deepEqual(groupMembers(pid1), [], 'the old version is gone');
  } finally {
    await t.dispose();
  }
});

test('a syntax error gives diagnostics and the old version keeps answering; the fix clears them', async () => {
  const dir = copyExample('hello');
  const { t, port } = await startSession(dir);
  try {
    await eventually('v1 answers', () => httpGet(port));
    fs.writeFileSync(path.join(dir, 'greeting.go'), 'package main\n\nfunc greeting() string {\n\treturn "broken"\n\n');
    const failed = await t.report(2);
    assert.equal(failed.outcome, 'build-failed');
    const diagnostics = t.lastDiagnostics();
    assert.ok(diagnostics.length >= 1, 'a diagnostic is reported');
    assert.equal(diagnostics[0].file, path.join(dir, 'greeting.go'));
    assert.ok(diagnostics[0].line >= 4, `line ${diagnostics[0].line}`);
    assert.equal(t.session.currentState, 'failed');
    assert.equal((await httpGet(port)).body, 'hello, world', 'the old version still answers');

    setGreeting(dir, 'fixed');
    const fixed = await t.report(3);
    assert.equal(fixed.outcome, 'restarted');
    assert.deepEqual(t.lastDiagnostics(), []);
    await eventually('fixed version answers', async () => (await httpGet(port)).body === 'fixed');
  } finally {
    await t.dispose();
  }
});

test('a version that panics on start gives a diagnostic at the panic line and the last good version serves again', async () => {
  const dir = copyExample('hello');
  const { t, port } = await startSession(dir, { crashWindowMs: 1500 });
  try {
    await eventually('v1 answers', () => httpGet(port));
    const pid1 = Number((await httpGet(port, '/pid')).body);
    // Wait until v1 has proven itself (survived the crash window).
    await sleep(1600);
    fs.writeFileSync(
      path.join(dir, 'greeting.go'),
      'package main\n\nfunc init() {\n\tvar m map[string]int\n\tm["boom"] = 1\n}\n\nfunc greeting() string {\n\treturn "never"\n}\n',
    );
    await t.report(2);
    const rolledBack = await eventually('rollback report', () => t.reports().find((r) => r.outcome === 'rolled-back'));
    assert.equal(rolledBack.version, 1);
    const panic = await eventually('panic diagnostic', () => t.lastDiagnostics().find((d) => d.source === 'panic'));
    assert.equal(panic.file, path.join(dir, 'greeting.go'));
    assert.equal(panic.line, 5);
    assert.match(panic.message, /assignment to entry in nil map/);
    assert.ok(panic.related.length >= 1, 'stack frames are related locations');
    const answer = await eventually('v1 answers again', () => httpGet(port));
    assert.equal(answer.body, 'hello, world');
    assert.notEqual(Number((await httpGet(port, '/pid')).body), pid1, 'a fresh process of the last good version');
  } finally {
    await t.dispose();
  }
});

test('20 saves in 200 ms give one or two builds, never two at once', async () => {
  const dir = copyExample('hello');
  // A `go` on the PATH that records each build and whether another was still running.
  const log = path.join(tempDir('hr-go-log-'), 'builds.log');
  const recordBuilds = `if [ "$1" = build ]; then\n  for p in $(cat "${log}.pids" 2>/dev/null); do kill -0 "$p" 2>/dev/null && echo "overlap $p" >> "${log}"; done\n  echo $$ >> "${log}.pids"\n  echo "build $$" >> "${log}"\nfi`;
  await withWrappedGo(recordBuilds, async () => {
    const { t, port } = await startSession(dir, { debounceMs: 50 });
    try {
      fs.writeFileSync(log, '');
      for (let i = 0; i < 20; i++) {
        setGreeting(dir, `burst ${i}`);
        await sleep(10);
      }
      await eventually('final version answers', async () => (await httpGet(port)).body === 'burst 19', { timeoutMs: 60000 });
      await sleep(500);
      const lines = fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
      const builds = lines.filter((l) => l.startsWith('build'));
      assert.ok(builds.length >= 1 && builds.length <= 2, `builds: ${builds.length}`);
      assert.deepEqual(
        lines.filter((l) => l.startsWith('overlap')),
        [],
        'no two builds at once',
      );
      const served = t.reports().filter((r) => r.outcome === 'restarted');
      assert.ok(served.length >= 1 && served.length <= 2, `restarts: ${served.length}`);
    } finally {
      await t.dispose();
    }
  });
});

test('a save during a build cancels it and its whole process group', async () => {
  const dir = copyExample('hello');
  const marker = path.join(tempDir('hr-slowgo-'), 'slow.pid');
  // The first rebuild hangs in a child (as a slow compile would); later ones are normal.
  const hangOnce = `if [ "$1" = build ] && grep -q slow "${dir}/greeting.go" && [ ! -f "${marker}" ]; then\n  sleep 300 &\n  echo $! > "${marker}"\n  wait\nfi`;
  await withWrappedGo(hangOnce, async () => {
    const { t, port } = await startSession(dir);
    try {
      setGreeting(dir, 'slow');
      const sleeper = Number(await eventually('slow build started', () => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim()));
      setGreeting(dir, 'after cancel');
      await eventually('the newer change serves', async () => (await httpGet(port)).body === 'after cancel', { timeoutMs: 60000 });
      assert.equal(isAlive(sleeper), false, 'the cancelled build left nothing behind');
      // The report follows the first answer of the new version: wait for it, not for the answer.
      const last = await eventually('the report of the version that serves', () => {
        const reports = t.reports();
        const newest = reports[reports.length - 1];
        return newest && newest.version > 1 ? newest : undefined;
      });
      assert.deepEqual(
        last.changedFiles.map((f) => path.basename(f.path)),
        ['greeting.go'],
      );
    } finally {
      await t.dispose();
    }
  });
});

test('stopping leaves no process of the program group, children and grandchildren included', async () => {
  const dir = copyExample('spawner');
  const { t, port } = await startSession(dir, { gracePeriodMs: 500 });
  await eventually('spawner answers', () => httpGet(port));
  const pid = t.session.currentProgram!.pid;
  await eventually('worker and its sleep are running', () => groupMembers(pid).length >= 3);
  // A reload must stop the old group too, the stubborn worker included.
  fs.writeFileSync(path.join(dir, 'main.go'), fs.readFileSync(path.join(dir, 'main.go'), 'utf8').replace('spawner v1', 'spawner v2'));
  await t.report(2);
  assert.deepEqual(groupMembers(pid), [], 'old group gone after reload');
  await eventually('v2 answers', async () => (await httpGet(port)).body === 'spawner v2');
  const pid2 = t.session.currentProgram!.pid;
  await t.dispose();
  assert.deepEqual(groupMembers(pid2), [], 'nothing of the program is left after stop');
  await assert.rejects(httpGet(port), 'the port is free');
});

test('a file saved with no edit does not rebuild', async () => {
  const dir = copyExample('hello');
  const { t, port } = await startSession(dir);
  try {
    const file = path.join(dir, 'greeting.go');
    await sleep(300);
    atomicWrite(file, fs.readFileSync(file, 'utf8'));
    void t.session.notifySaved([file]);
    await sleep(800);
    assert.equal(t.reports().length, 1, 'no reload for identical content');
    atomicWrite(file, fs.readFileSync(file, 'utf8').replace('hello, world', 'hello, atomic'));
    const second = await t.report(2);
    assert.equal(second.outcome, 'restarted');
    await eventually('atomic save served', async () => (await httpGet(port)).body === 'hello, atomic');
  } finally {
    await t.dispose();
  }
});

test('new folders are watched; vendor, .git and the work dir never trigger a reload', async () => {
  const dir = copyExample('hello');
  const { t } = await startSession(dir);
  try {
    await sleep(300);
    fs.mkdirSync(path.join(dir, 'vendor', 'example.com', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vendor', 'example.com', 'x', 'x.go'), 'package x\n');
    fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.git', 'HEAD.go'), 'x');
    fs.mkdirSync(path.join(dir, '.hotreload'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.hotreload', 'stray.go'), 'package main\n');
    await sleep(600);
    assert.equal(t.reports().length, 1, 'ignored places did not reload');

    const sub = path.join(dir, 'internal', 'fresh');
    fs.mkdirSync(sub, { recursive: true });
    await sleep(100);
    fs.writeFileSync(path.join(sub, 'fresh.go'), 'package fresh\n\nconst Name = "fresh"\n');
    const second = await t.report(2);
    assert.deepEqual(
      second.changedFiles.map((f) => path.relative(dir, f.path)),
      [path.join('internal', 'fresh', 'fresh.go')],
    );

    // A tree moved in at once (as a checkout or a copy does), then edited deep inside.
    const outside = tempDir('hr-movein-');
    fs.mkdirSync(path.join(outside, 'pkg', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'pkg', 'deep', 'deep.go'), 'package deep\n');
    fs.renameSync(path.join(outside, 'pkg'), path.join(dir, 'pkg'));
    const third = await t.report(3);
    assert.deepEqual(
      third.changedFiles.map((f) => path.relative(dir, f.path)),
      [path.join('pkg', 'deep', 'deep.go')],
    );
    await sleep(200);
    fs.writeFileSync(path.join(dir, 'pkg', 'deep', 'deep.go'), 'package deep\n\nconst X = 1\n');
    const fourth = await t.report(4);
    assert.deepEqual(
      fourth.changedFiles.map((f) => path.relative(dir, f.path)),
      [path.join('pkg', 'deep', 'deep.go')],
    );
  } finally {
    await t.dispose();
  }
});

test('a program that crashes on every start backs off instead of spinning', async () => {
  const dir = tempDir('hr-crashy-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/crashy\n\ngo 1.19\n');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nimport "os"\n\nfunc main() {\n\tprintln("crashing")\n\tos.Exit(3)\n}\n');
  const t = await TestSession.open(dir, { crashWindowMs: 500 });
  try {
    await t.session.start();
    assert.equal((await t.report(1)).outcome, 'started');
    const first = Date.now();
    // Starts at 0 s, then retries after 1 s and 2 s more: every start is seen (its output too),
    // and they come at least a second apart, however slow the machine, not hundreds a second.
    const starts = () => (t.output.match(/crashing/g) ?? []).length;
    await eventually(
      () => `three starts (seen ${starts()})`,
      () => starts() >= 3,
    );
    const elapsed = Date.now() - first;
    assert.ok(starts() <= 1 + elapsed / 1000, `${starts()} starts in ${elapsed} ms`);
    await eventually('crashed, waiting to retry', () => t.session.currentState === 'crashed');
    const states = t.events.filter((e) => e.type === 'state' && e.state === 'crashed');
    assert.ok(
      states.some((e) => e.type === 'state' && /retrying in \ds/.test(e.detail ?? '')),
      'says when it retries',
    );
    // A change ends the backoff at once.
    fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nimport "time"\n\nfunc main() {\n\tprintln("fixed")\n\ttime.Sleep(time.Hour)\n}\n');
    await eventually(
      () =>
        `the fixed version runs (state ${t.session.currentState}; output ${JSON.stringify(t.output.slice(-200))}; reports ${t
          .reports()
          .map((r) => `${r.version}:${r.outcome}`)
          .join(' ')})`,
      () => t.session.currentState === 'running' && t.output.includes('fixed'),
    );
  } finally {
    await t.dispose();
  }
});
