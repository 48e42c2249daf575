import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSession } from '../../src/engine';
import { setGreeting, startSession, TestSession } from './harness';
import { copyExample, repoRoot } from '../support/examples';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesWithEnv, processesWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';

test('no go.mod: a clear error, no session', async () => {
  const dir = tempDir('hr-nomod-');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\nfunc main() {}\n');
  const { session, problems } = await openSession(dir, []);
  assert.equal(session, undefined);
  assert.match(problems.map((p) => p.message).join('\n'), /go\.mod/);
});

test('no main package: a clear error', async () => {
  const dir = tempDir('hr-nomain-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/lib\n\ngo 1.19\n');
  fs.writeFileSync(path.join(dir, 'lib.go'), 'package lib\n');
  const { session, problems } = await openSession(dir, []);
  assert.equal(session, undefined);
  assert.match(problems.map((p) => p.message).join('\n'), /no main package/i);
});

test('several main packages: says which and how to pick', async () => {
  const dir = tempDir('hr-multi-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/multi\n\ngo 1.19\n');
  for (const name of ['api', 'worker']) {
    fs.mkdirSync(path.join(dir, 'cmd', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cmd', name, 'main.go'), 'package main\nfunc main() {}\n');
  }
  const { session, problems } = await openSession(dir, []);
  assert.equal(session, undefined);
  const text = problems.map((p) => p.message).join('\n');
  assert.match(text, /cmd\/api/);
  assert.match(text, /cmd\/worker/);
  const picked = await openSession(dir, [{ package: './cmd/worker' }]);
  assert.ok(picked.session, 'picking one works');
  await picked.session.dispose();
});

test('a nonexistent folder: a clear error', async () => {
  const { session, problems } = await openSession('/nonexistent/hr-dir', []);
  assert.equal(session, undefined);
  assert.match(problems.map((p) => p.message).join('\n'), /nonexistent\/hr-dir/);
});

test('a malformed .air.toml: a clear error with its line', async () => {
  const dir = copyExample('hello');
  fs.writeFileSync(path.join(dir, '.air.toml'), '[build]\ncmd = "go build -o ./tmp/main .\n');
  const { session, problems } = await openSession(dir, []);
  assert.equal(session, undefined);
  const error = problems.find((p) => p.severity === 'error');
  assert.ok(error, JSON.stringify(problems));
  assert.equal(error.source.includes('.air.toml') || error.message.includes('.air.toml'), true);
  assert.match(error.message, /line 2/i);
});

test('a build command that does not exist fails the build with its message and runs nothing', async () => {
  const dir = copyExample('hello');
  const t = await TestSession.open(dir, { buildCommand: 'no-such-builder --fast', binary: path.join(dir, 'tmp', 'main') });
  try {
    await t.session.start();
    const report = await t.report(1);
    assert.equal(report.outcome, 'build-failed');
    assert.match(report.message ?? '', /no-such-builder/);
    assert.equal(t.session.currentProgram, undefined);
  } finally {
    await t.dispose();
  }
});

test('file and folder names with spaces and non-ASCII build, reload and report', async () => {
  const dir = path.join(tempDir('hr-names-'), 'my sérvice ü');
  copyExample('hello', dir);
  const { t, port, first } = await startSession(dir);
  try {
    assert.equal(first.outcome, 'started');
    fs.writeFileSync(path.join(dir, 'grüße und mehr.go'), 'package main\n\nvar extra = "ö"\n');
    const second = await t.report(2);
    assert.equal(second.outcome, 'restarted');
    assert.equal(path.basename(second.changedFiles[0].path), 'grüße und mehr.go');
    fs.writeFileSync(path.join(dir, 'grüße und mehr.go'), 'package main\n\nvar extra = \n');
    const third = await t.report(3);
    assert.equal(third.outcome, 'build-failed');
    assert.equal(t.lastDiagnostics()[0].file, path.join(dir, 'grüße und mehr.go'));
    await eventually('still answers', () => httpGet(port));
  } finally {
    await t.dispose();
  }
});

test('a program that floods its output neither blocks nor crashes the engine', async () => {
  const dir = tempDir('hr-flood-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/flood\n\ngo 1.19\n');
  fs.writeFileSync(
    path.join(dir, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() {\n\tfor i := 0; ; i++ {\n\t\tfmt.Println("line", i, "................................................................")\n\t\tif i%100000 == 0 {\n\t\t\ttime.Sleep(time.Millisecond)\n\t\t}\n\t}\n}\n',
  );
  const t = await TestSession.open(dir, {});
  try {
    await t.session.start();
    await t.report(1);
    await eventually('lots of output', () => t.output.length > 5_000_000 || undefined, { timeoutMs: 30000 });
    // The engine still reacts: a restart goes through while the flood goes on.
    const before = t.reports().length;
    t.output = '';
    t.session.restart();
    await eventually('restart under flood', () => t.reports().length > before);
    assert.equal(t.reports()[before].outcome, 'restarted');
  } finally {
    await t.dispose();
  }
});

test('the CLI stops its programs on SIGTERM, and a SIGKILLed CLI leaves nothing running', async () => {
  const dir = copyExample('spawner');
  const port = await freePort();
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const mark = `HR_MARK=cli-${port}`;
  const start = () => {
    const child = spawn(process.execPath, [cli, '--env', `PORT=${port}`, '--env', mark, '--grace', '300'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    return { child, stderr: () => err };
  };

  const first = start();
  const launched = [first];
  try {
    await eventually('first CLI serves', () => httpGet(port), { timeoutMs: 60000 });
    // The program, its stubborn worker and that one's sleep, and the daemon it detached.
    await eventually('the program tree runs', () => processesWithEnv(mark).length >= 4);
    first.child.kill('SIGKILL');
    await eventually('nothing of the program is left once the CLI is killed', () => processesWithEnv(mark).length === 0, { timeoutMs: 1500 });

    const second = start();
    launched.push(second);
    await eventually('second CLI serves', () => httpGet(port), { timeoutMs: 60000 });
    await eventually('its program tree runs', () => processesWithEnv(mark).length >= 4);
    second.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => second.child.once('exit', (c) => resolve(c)));
    assert.equal(code, 143);
    assert.deepEqual(processesWithEnv(mark), [], 'SIGTERM to the engine stops the whole program tree');
  } finally {
    for (const cli of launched) cli.child.kill('SIGKILL');
    killProcessesWithEnv(mark);
  }
});

test('a package that is a flag is refused, and one that is not main says so', async () => {
  const dir = copyExample('hello');
  const flag = await openSession(dir, [{ package: '-toolexec=/bin/true' }]);
  assert.equal(flag.session, undefined);
  assert.match(flag.problems.map((p) => p.message).join('\n'), /package "-toolexec=\/bin\/true" looks like a flag: .*buildFlags/);

  const t = await TestSession.open(dir, { package: 'fmt' });
  try {
    await t.session.start();
    const report = await t.report(1);
    assert.equal(report.outcome, 'build-failed');
    assert.match(report.message ?? '', /^fmt is not a main package: go build made a library of it, not a program/);
    assert.equal(t.session.currentProgram, undefined, 'nothing was started');
  } finally {
    await t.dispose();
  }
});

test('a work dir that cannot be made is one clear sentence, not a stack', async () => {
  const dir = copyExample('hello');
  const file = path.join(tempDir('hr-wd-'), 'a-file');
  fs.writeFileSync(file, 'x');
  const work = path.join(file, 'work');
  const t = await TestSession.open(dir, { workDir: work });
  try {
    await assert.rejects(t.session.start(), (err: Error) => {
      assert.equal(
        err.message,
        `cannot use the work dir ${work}: a part of its path is a file; set hotReload.workDir (--work-dir) to another folder, or leave it empty for one in your cache directory`,
      );
      return true;
    });
  } finally {
    await t.dispose();
  }
});

test('a project folder deleted and put back is watched again and rebuilt', async () => {
  const parent = tempDir('hr-gone-');
  const dir = path.join(parent, 'app');
  copyExample('hello', dir);
  const { t, port } = await startSession(dir);
  try {
    await eventually('v1 answers', async () => (await httpGet(port)).body === 'hello, world');
    const moved = path.join(parent, 'elsewhere');
    fs.renameSync(dir, moved);
    await eventually(
      'the engine says the folder is gone',
      () => t.events.some((e) => e.type === 'log' && /the project folder .* was deleted or moved/.test(e.message)),
      { timeoutMs: 5000 },
    );
    assert.equal((await httpGet(port)).body, 'hello, world', 'the running version keeps serving');
    fs.renameSync(moved, dir);
    await eventually('the folder is watched again', () => t.events.some((e) => e.type === 'log' && /is back: watching it again/.test(e.message)), {
      timeoutMs: 5000,
    });
    await t.report(2);
    setGreeting(dir, 'hello, back');
    await eventually('an edit after the return reloads', async () => (await httpGet(port)).body === 'hello, back', { timeoutMs: 60_000 });
  } finally {
    await t.dispose();
  }
});
