/**
 * `hotreload wait` on a session with a fake builder and strategy: it reads the tree itself (a
 * write the watcher never told of counts), awaits the reload that write starts, and answers with
 * what the last reload says about the sources on disk: serving, a failed build, a crash on start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForServing } from '../../src/engine/control/waitForServing';
import { failed, withFakeSession, type Harness } from '../support/fakeParts';
import { eventually } from '../support/waiting';

/** v`version` runs, and the tree's first hashes are taken (what later writes are told from). */
async function running(h: Harness, version = 1): Promise<void> {
  await eventually(`v${version} running`, () => h.session.currentVersion === version && h.session.currentState === 'running');
  await h.session.catchUp();
}

/** Writes a file of the project without telling the session (no save, and this session has no watcher). */
function write(h: Harness, name: string, text: string): void {
  fs.writeFileSync(path.join(h.dir, name), text);
}

test('nothing changed: the running version answers at once', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    const result = await h.movingTime(waitForServing(h.session, { timeoutMs: 10_000 }));
    assert.equal(result.outcome, 'serving');
    assert.equal(result.outcome === 'serving' && result.version, 1);
    assert.equal(h.builder.builds.length, 1, 'no build');
  }));

test('a write no watcher reported is read from disk, built, and its version answers', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    write(h, 'main.go', 'package main // v2');
    const result = await h.movingTime(waitForServing(h.session, { timeoutMs: 10_000 }));
    assert.deepEqual(result.outcome === 'serving' && [result.outcome, result.version], ['serving', 2]);
    assert.deepEqual(
      h.reports()[1].changedFiles.map((c) => path.basename(c.path)),
      ['main.go'],
    );
  }));

test('a burst of writes is one build and one answer, with every file in it', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    h.builder.auto = undefined; // builds wait for the test
    await h.save('a.go', 'a');
    await eventually('the build of a.go', () => h.builder.builds.length === 2);
    for (let i = 0; i < 10; i++) write(h, `f${i}.go`, `file ${i}`);
    const waiting = h.movingTime(waitForServing(h.session, { timeoutMs: 10_000 }));
    // The wait took the ten files in: the build under way (a.go alone) is cancelled, the next has all eleven.
    await eventually('the build of everything', () => h.builder.builds.length === 3);
    assert.equal(h.builder.builds[1].signal.aborted, true);
    h.builder.succeed(2);
    const result = await waiting;
    assert.deepEqual(result.outcome === 'serving' && result.version, 2);
    assert.equal(h.reports().length, 2, 'one reload after the first');
    assert.equal(h.reports()[1].changedFiles.length, 11);
  }));

test('a failed build answers with its errors, and the version that still serves', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    h.builder.auto = () => failed('build failed: 1 error');
    write(h, 'main.go', 'broken');
    const result = await h.movingTime(waitForServing(h.session, { timeoutMs: 10_000 }));
    assert.equal(result.outcome, 'build-failed');
    if (result.outcome !== 'build-failed') return;
    assert.equal(result.version, 1);
    assert.deepEqual(
      result.errors.map((e) => [e.file, e.line, e.message]),
      [['/x/main.go', 3, 'undefined: x']],
    );
    assert.match(result.message, /build failed: 1 error; v1 still serving/);
    // Asked again with nothing changed, the same answer at once.
    assert.equal((await h.movingTime(waitForServing(h.session, { timeoutMs: 10_000 }))).outcome, 'build-failed');
    assert.equal(h.builder.builds.length, 2);
  }));

test('a version that crashes on start answers with the crash; the last good one serves again', () =>
  withFakeSession({ crashWindowMs: 5000 }, async (h) => {
    await running(h);
    write(h, 'main.go', 'v2 panics');
    const waiting = waitForServing(h.session, { timeoutMs: 20_000 });
    await eventually('v2 deployed', () => h.strategy.programs.length === 2);
    h.strategy.last.die(2, 'panic: boom\n');
    // The answer comes once v1 serves again (the rollback is a timer of the session's clock).
    const result = await h.movingTime(waiting);
    assert.equal(result.outcome, 'crashed');
    if (result.outcome !== 'crashed') return;
    assert.equal(result.message, 'v2 crashed on start (exited with status 2): panic: boom; v1 serves again');
    assert.equal(result.version, 1);
    assert.deepEqual(
      result.errors.map((e) => [e.line, e.message]),
      [[7, 'panic: boom']],
    );
    // Asked again with v1 serving, it still says that what is on disk crashes.
    await running(h, 1);
    assert.equal((await h.movingTime(waitForServing(h.session, { timeoutMs: 10_000 }))).outcome, 'crashed');
  }));

test('a build that does not end in time is a timeout that says what the session is doing', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    h.builder.auto = undefined;
    write(h, 'main.go', 'slow');
    const result = await waitForServing(h.session, { timeoutMs: 300 });
    assert.equal(result.outcome, 'timeout');
    assert.match(result.outcome === 'timeout' ? result.message : '', /timed out after 0\.3 s: the session is building/);
  }));

test('a stopped session says so', async () => {
  let stopped: Awaited<ReturnType<typeof waitForServing>> | undefined;
  await withFakeSession({}, async (h) => {
    await running(h);
    h.builder.auto = undefined;
    write(h, 'main.go', 'never built');
    const waiting = h.movingTime(waitForServing(h.session, { timeoutMs: 10_000 }));
    await eventually('the build started', () => h.builder.builds.length === 2);
    await h.session.dispose();
    stopped = await waiting;
  });
  assert.equal(stopped?.outcome, 'stopped');
});
