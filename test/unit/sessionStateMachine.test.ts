/**
 * The session's state machine with a fake builder, a fake strategy and a fake clock: every path of
 * a reload (good build, failed build, crash on start, rollback, backoff, changes during a build or
 * a deploy, each on-busy-update policy, an in-place update) without Go, a real process or a real
 * wait. Each step waits for what it means (a save read and queued, a state, a report); time moves
 * only when the test moves it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from '../../src/engine';
import { CRASH_SUMMARY_MAX_WAIT_MS } from '../../src/engine/session/report/crashNotice';
import { CRASH_BACKOFF_MS } from '../../src/engine/session/serving/keeper';
import { deferred, failed, fakeInPlace, startFakeSession, withFakeSession, type Harness } from '../support/fakeParts';

const running = (h: Harness, version = 1) => h.until(`v${version} running`, () => h.session.currentVersion === version && h.session.currentState === 'running');

/** The last state event's detail. */
const detail = (h: Harness) => {
  const last = h.events.filter((e) => e.type === 'state').pop();
  return last?.type === 'state' ? (last.detail ?? '') : '';
};

test('start: the first good build is deployed and runs as v1', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    assert.equal(h.session.currentVersion, 1);
    assert.equal(h.reports()[0].outcome, 'started');
    assert.equal(h.reports()[0].trigger, 'start');
    assert.deepEqual(h.states(), ['building', 'starting', 'running']);
  }));

test('a failed build leaves the running version serving and says so', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    const v1 = h.strategy.last;
    h.builder.auto = () => failed();
    await h.save('main.go', 'package main // broken');
    await h.until('build failed', () => h.session.currentState === 'failed');
    const report = h.reports()[1];
    assert.equal(report.outcome, 'build-failed');
    assert.match(report.message ?? '', /v1 still serving/);
    assert.equal(report.changedFiles[0].kind, 'create');
    assert.ok(v1.running, 'v1 was not stopped');
    assert.equal(h.session.currentProgram, v1);
    const diagnostics = h.events.filter((e) => e.type === 'diagnostics');
    assert.equal(diagnostics.length, 1);
    assert.equal(h.strategy.deploys.length, 1, 'nothing was deployed');
  }));

test('keepRunningOnBuildError off: a failed build stops the running version', () =>
  withFakeSession({ keepRunningOnBuildError: false }, async (h) => {
    await running(h);
    const v1 = h.strategy.last;
    h.builder.auto = () => failed();
    await h.save('main.go', 'x');
    await h.until('build failed', () => h.session.currentState === 'failed');
    assert.equal(v1.running, false);
    assert.equal(h.session.currentProgram, undefined);
    assert.doesNotMatch(h.reports()[1].message ?? '', /still serving/);
  }));

test('a version that dies on start with nothing to roll back to is retried with backoff', () =>
  withFakeSession({}, async (h) => {
    await h.until('v1 deployed', () => h.strategy.programs.length === 1);
    h.strategy.last.die(2, 'panic: boom\n');
    await h.until('crashed', () => h.session.currentState === 'crashed');
    const crash = h.reports()[1];
    assert.equal(crash.outcome, 'crashed');
    assert.match(crash.message ?? '', /v1 crashed on start \(exited with status 2\): panic: boom/);
    assert.match(detail(h), /retrying in 1s/);
    assert.ok(h.events.some((e) => e.type === 'diagnostics' && e.diagnostics[0]?.source === 'panic'));
    await h.clock.advance(CRASH_BACKOFF_MS[0] - 1);
    assert.equal(h.strategy.programs.length, 1, 'not before the backoff is over');
    await h.clock.advance(1);
    await h.until('the retry started v1 again', () => h.strategy.programs.length === 2);
    assert.equal(h.strategy.deploys[1].version, 1);
    await h.until('the retry reported', () => h.reports().length === 3);
    assert.equal(h.reports()[2].trigger, 'retry');
    assert.equal(h.reports()[2].outcome, 'restarted', 'a retry of the version that crashed is no rollback');
    assert.doesNotMatch(h.reports()[2].message ?? '', /serves again/);
  }));

test('a version that keeps crashing on start is retried after 1, 2, 4, 8 and 16 s, then given up on until the next change', () =>
  withFakeSession({}, async (h) => {
    await h.until('v1 deployed', () => h.strategy.programs.length === 1);
    for (const [i, delayMs] of CRASH_BACKOFF_MS.entries()) {
      h.strategy.last.die(2, 'panic: boom\n');
      await h.until(`crash ${i + 1} said`, () => h.session.currentState === 'crashed');
      assert.match(detail(h), new RegExp(`retrying in ${delayMs / 1000}s$`));
      await h.clock.advance(delayMs - 1);
      assert.equal(h.strategy.programs.length, i + 1, `retry ${i + 1} not before its backoff`);
      await h.clock.advance(1);
      await h.until(`retry ${i + 1}`, () => h.strategy.programs.length === i + 2 && h.session.currentState === 'running');
    }
    h.strategy.last.die(2, 'panic: boom\n');
    await h.until('given up', () => h.session.currentState === 'crashed');
    assert.match(detail(h), /gave up after 6 attempts: save a change or restart to try again$/);
    await h.clock.advance(60_000);
    assert.equal(h.strategy.programs.length, 6, 'nothing starts by itself any more');
    await h.save('main.go', 'package main // fixed');
    await running(h, 2);
  }));

test('a new version that dies on start is replaced by the last good one', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    await h.clock.advance(200); // v1 outlives the crash window (150 ms): it is the last good version
    await h.save('main.go', 'v2');
    await h.until('v2 deployed', () => h.strategy.programs.length === 2);
    h.strategy.last.die(1, 'panic: v2 is broken\n');
    await h.until('v2 crashed', () => h.session.currentState === 'crashed');
    assert.match(detail(h), /v2 crashed on start.*; starting v1 again/);
    await h.clock.advance(1); // the last good version starts at once: no backoff for a first crash
    await h.until('rolled back', () => h.reports().some((r) => r.outcome === 'rolled-back'));
    await h.until('running again', () => h.session.currentState === 'running');
    assert.equal(h.session.currentVersion, 1);
    assert.equal(h.strategy.deploys.map((a) => a.version).join(), '1,2,1');
    assert.match(h.reports().find((r) => r.outcome === 'rolled-back')?.message ?? '', /v2 crashed on start.*v1 serves again/);
    // Then, below whatever v1 prints as it starts again (here nothing: so by the deadline), the crash summed up.
    assert.equal(
      h.events.find((e) => e.type === 'crash-summary'),
      undefined,
      'not before v1 had its time to print',
    );
    await h.clock.advance(CRASH_SUMMARY_MAX_WAIT_MS);
    const summary = await h.until('the crash summary', () => h.events.find((e) => e.type === 'crash-summary'));
    assert.deepEqual(summary, {
      type: 'crash-summary',
      crashed: 2,
      serving: 1,
      how: 'exited with status 1',
      message: 'panic: v2 is broken',
      location: { file: '/x/main.go', line: 7, column: 0 },
    });
    assert.ok(h.events.indexOf(summary) > h.events.findIndex((e) => e.type === 'reload' && e.report.outcome === 'rolled-back'), 'said after the rollback');
  }));

test('a version replaced before the end of its crash window still counts as good: a crash after it goes back to it', () =>
  withFakeSession({ crashWindowMs: 5000 }, async (h) => {
    await running(h);
    await h.save('main.go', 'v2, a quick fix');
    await running(h, 2);
    await h.save('main.go', 'v3');
    await h.until('v3 deployed', () => h.strategy.programs.length === 3);
    h.strategy.last.die(1, 'panic: v3 is broken\n');
    await h.until('v3 crashed', () => h.session.currentState === 'crashed');
    await h.clock.advance(1);
    await h.until('rolled back', () => h.reports().some((r) => r.outcome === 'rolled-back'));
    await running(h, 2);
    assert.equal(h.strategy.deploys.map((a) => a.version).join(), '1,2,3,2', 'v2, not v1: it served until it was replaced');
  }));

test('a deploy that fails is reported with the version that served and why', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    h.strategy.failNext = 'v2 did not report ready';
    // The fake restarts (it stops the old one first), so nothing serves after: the report says crashed.
    await h.save('main.go', 'v2');
    await h.until('deploy failed', () => h.reports().length === 2);
    assert.equal(h.reports()[1].outcome, 'crashed');
    assert.equal(h.reports()[1].version, 1);
    assert.equal(h.session.currentState, 'crashed');
  }));

/**
 * What each onBusyUpdate policy does with a change (b.go) saved while the build of another (a.go)
 * is under way: `rest` goes on from there, with build 2 (index 1) still running.
 */
const busyPolicies: { policy: Settings['onBusyUpdate']; title: string; rest: (h: Harness) => Promise<void> }[] = [
  {
    policy: 'restart',
    title: 'a change during a build cancels it; the next build has both changes and only it is deployed',
    rest: async (h) => {
      await h.until('build 3 started', () => h.builder.builds.length === 3);
      assert.equal(h.builder.builds[1].signal.aborted, true, 'the build under way was cancelled');
      h.builder.succeed(2);
      await running(h, 2);
      const report = h.reports()[1];
      assert.deepEqual(report.changedFiles.map((c) => c.path.split('/').pop()).sort(), ['a.go', 'b.go']);
      assert.equal(h.strategy.deploys.length, 2);
    },
  },
  {
    policy: 'queue',
    title: 'onBusyUpdate queue: a change during a build lets it finish, then builds again',
    rest: async (h) => {
      assert.equal(h.builder.builds[1].signal.aborted, false, 'the build under way goes on');
      assert.equal(h.builder.builds.length, 2, 'the change waits for it');
      h.builder.succeed(1);
      await h.until('build 3 started', () => h.builder.builds.length === 3);
      assert.deepEqual(
        h.reports()[1].changedFiles.map((c) => path.basename(c.path)),
        ['a.go'],
      );
      h.builder.succeed(2);
      await running(h, 3);
    },
  },
  {
    policy: 'do-nothing',
    title: 'onBusyUpdate do-nothing: a change during a build is left out until the file is saved again',
    rest: async (h) => {
      h.builder.succeed(1);
      await running(h, 2);
      await h.idle();
      assert.equal(h.builder.builds.length, 2, 'the change during the build started nothing');
      assert.ok(
        h.session.changes().some((c) => c.path.endsWith('b.go')),
        'Show Changes still lists it',
      );
      h.builder.auto = () => ({ kind: 'ok', file: '', output: '' });
      await h.save('b.go', 'b'); // the same content, saved again
      await h.until('v3 running', () => h.session.currentVersion === 3);
      assert.ok(h.reports()[2].changedFiles.some((c) => c.path.endsWith('b.go')));
    },
  },
];

for (const { policy, title, rest } of busyPolicies) {
  test(title, () =>
    withFakeSession({ onBusyUpdate: policy }, async (h) => {
      await running(h);
      h.builder.auto = undefined;
      await h.save('a.go', 'a');
      await h.until('build 2 started', () => h.builder.builds.length === 2);
      await h.save('b.go', 'b'); // read, and queued or left out by the policy
      await rest(h);
    }),
  );
}

test('a file still being written when its event came is built as it is at build time; its last write is no second reload', () =>
  withFakeSession({ onBusyUpdate: 'queue' }, async (h) => {
    await running(h);
    h.builder.auto = undefined;
    await h.save('a.go', 'first');
    await h.until('build 2 running', () => h.builder.builds.length === 2);
    // While v2 builds, b.go is truncated (its event arrives and reads the empty file), then filled (its event comes late).
    await h.save('b.go', '');
    const b = path.join(h.dir, 'b.go');
    fs.writeFileSync(b, 'package main // complete');
    h.builder.builds[1].settle({ kind: 'ok', file: h.builder.builds[1].outFile, output: '' });
    await h.until('build 3 running', () => h.builder.builds.length === 3);
    h.builder.builds[2].settle({ kind: 'ok', file: h.builder.builds[2].outFile, output: '' });
    await running(h, 3);
    await h.session.notifySaved([b]); // the late event of the last write: nothing new since build 3 read it
    await h.idle();
    assert.equal(h.builder.builds.length, 3, 'no build for content already built');
    assert.equal(h.reports().length, 3);
  }));

test('a change during a deploy does not cancel it: it is built next', () =>
  withFakeSession({}, async (h) => {
    await running(h);
    const hold = deferred<void>();
    h.strategy.hold = hold.promise;
    await h.save('a.go', 'a');
    await h.until('v2 deploying', () => h.strategy.deploys.length === 2);
    await h.save('b.go', 'b');
    assert.equal(h.builder.builds.length, 2, 'no build starts while a deploy is under way');
    h.strategy.hold = undefined;
    hold.resolve();
    await running(h, 3);
    assert.deepEqual(
      h.reports().map((r) => r.outcome),
      ['started', 'restarted', 'restarted'],
    );
  }));

test('a strategy that can update in place does so: a new version, the same process', () =>
  withFakeSession({}, async (h) => {
    h.strategy.inPlace = fakeInPlace();
    await running(h);
    const v1 = h.strategy.last;
    await h.save('rules.go', 'new rules');
    await h.until('patched', () => h.reports().length === 2);
    assert.equal(h.reports()[1].outcome, 'patched');
    assert.equal(h.session.currentVersion, 2);
    assert.equal(h.session.currentProgram, v1);
    assert.equal(h.builder.builds.length, 1, 'no full build');
  }));

test('an in-place update that cannot apply falls back to a full build and deploy, saying why', () =>
  withFakeSession({}, async (h) => {
    h.strategy.inPlace = fakeInPlace(() => ({ kind: 'fallback', reason: 'the plugin failed to load' }));
    await running(h);
    await h.save('rules.go', 'new rules');
    await running(h, 2);
    assert.equal(h.reports()[1].outcome, 'restarted');
    assert.match(h.reports()[1].message ?? '', /not patched: the plugin failed to load/);
    assert.equal(h.builder.builds.length, 2);
  }));

test('stopping ends the program, reports stopped, and ignores changes after', async () => {
  const h = await startFakeSession();
  await running(h);
  const v1 = h.strategy.last;
  await h.session.dispose();
  assert.equal(v1.running, false);
  assert.equal(h.states().pop(), 'stopped');
  h.session.restart();
  await h.idle();
  assert.equal(h.builder.builds.length, 1);
  await h.dispose();
});
