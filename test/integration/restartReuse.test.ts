/**
 * Restart without a rebuild: Hot Reload: Restart (Session.restart, the CLI's SIGUSR2) with no
 * source changed since the running version was built starts that version's executable again in a
 * new process, and says so; with a changed source it builds, and the log names the file. Go and
 * Node alike; the CLI prints what the editor's log shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reportLine } from '../../src/engine';
import { runCli } from './cliRun';
import { setGreeting, startSession, type TestSession } from './harness';
import { copyExample } from '../support/examples';
import { httpGet } from '../support/http';
import { copyNodeExample } from '../support/nodeExamples';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

function logs(t: TestSession): string[] {
  return t.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
}

/** The executable a process runs (its argv[0] as the supervisor started it). */
function executableOf(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
}

test('restart: unchanged sources start the running executable again without a build; a changed source builds, named in the log', async () => {
  const dir = copyExample('hello');
  const { t, port, first } = await startSession(dir);
  try {
    assert.equal(first.outcome, 'started', first.message);
    const v1 = executableOf(first.pid!);

    const before = t.events.length;
    t.session.restart();
    const again = await t.report(2);
    assert.equal(again.outcome, 'restarted', again.message);
    assert.equal(again.version, 1, 'the same version');
    assert.equal(again.unchangedSources, true);
    assert.equal(again.phases.buildMs, 0);
    assert.notEqual(again.pid, first.pid, 'a new process');
    assert.equal(executableOf(again.pid!), v1, 'of the same executable');
    assert.match(reportLine(again, dir), /^v1 restarted · manual · \d+ ms \(detect \d+ · no build: sources unchanged · stop \d+ · start \d+\)/);
    assert.ok(logs(t).includes('restart: no source changed since v1 was built, so it starts again without a build'), logs(t).join('\n'));
    assert.equal((await httpGet(port)).body, 'hello, world');
    assert.ok(!t.events.slice(before).some((e) => e.type === 'state' && e.state === 'building'), 'a restart with nothing to build never says "building"');

    // A build that fails leaves v1 serving and greeting.go differing from it: a restart builds, and says why.
    fs.writeFileSync(path.join(dir, 'greeting.go'), 'package main\n\nfunc greeting() string { return }\n');
    const failed = await t.report(3);
    assert.equal(failed.outcome, 'build-failed');
    t.session.restart();
    const rebuilt = await t.report(4);
    assert.equal(rebuilt.outcome, 'build-failed', 'it built (and failed again)');
    assert.deepEqual(
      rebuilt.changedFiles.map((f) => path.basename(f.path)),
      ['greeting.go'],
      'the report names the file that differs',
    );
    assert.ok(logs(t).includes('restart: building, as greeting.go changed since v1 was built'), logs(t).join('\n'));

    setGreeting(dir, 'hello again');
    const v2 = await t.report(5);
    assert.equal(v2.outcome, 'restarted', v2.message);
    assert.equal(v2.version, 2);
    assert.notEqual(executableOf(v2.pid!), v1, 'a new build');
    assert.equal((await httpGet(port)).body, 'hello again');
  } finally {
    await t.dispose();
  }
});

test('restart: a Node program with unchanged sources starts again without a bundle', async () => {
  const dir = copyNodeExample('node-esm');
  const { t, port, first } = await startSession(dir);
  try {
    assert.equal(first.outcome, 'started', first.message);
    await eventually('v1 answers', () => httpGet(port));
    t.session.restart();
    const again = await t.report(2);
    assert.equal(again.outcome, 'restarted', again.message);
    assert.equal(again.version, 1);
    assert.equal(again.unchangedSources, true);
    assert.notEqual(again.pid, first.pid);
    await eventually('v1 answers again', () => httpGet(port));
  } finally {
    await t.dispose();
  }
});

test('restart: the CLI restarts on SIGUSR2 and prints the same lines: no build with unchanged sources, the changed file otherwise', async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const cli = runCli(dir, ['--env', `PORT=${port}`, '--no-color']);
  try {
    await cli.line(/^\[hotreload\] v1 started · start · /, 120_000);
    const mark = cli.stderr().length;
    cli.child.kill('SIGUSR2');
    await cli.line(/^\[hotreload\] restart: no source changed since v1 was built, so it starts again without a build$/, 30_000, mark);
    await cli.line(
      /^\[hotreload\] v1 restarted · manual · \d+ ms \(detect \d+ · no build: sources unchanged · stop \d+ · start \d+\) · pid \d+$/,
      30_000,
      mark,
    );
    await eventually('v1 answers', () => httpGet(port));

    fs.writeFileSync(path.join(dir, 'greeting.go'), 'package main\n\nfunc greeting() string { return }\n');
    await cli.line(/^\[hotreload\] v1 build-failed · change · /, 60_000, mark);
    const second = cli.stderr().length;
    cli.child.kill('SIGUSR2');
    await cli.line(/^\[hotreload\] restart: building, as greeting.go changed since v1 was built$/, 30_000, second);
    await cli.line(/^\[hotreload\] v1 build-failed · manual · .* · greeting.go/, 60_000, second);
  } finally {
    await cli.stop();
  }
});
