/**
 * The session's state machine with a fake builder and a fake strategy: every path of a reload
 * (good build, failed build, crash on start, rollback, changes during a build or a deploy, each
 * on-busy-update policy, an in-place update) without Go or a real process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, failed, fakeInPlace, startFakeSession, until } from '../support/fakeParts';

test('start: the first good build is deployed and runs as v1', async () => {
  const h = await startFakeSession();
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    assert.equal(h.session.currentVersion, 1);
    assert.equal(h.reports()[0].outcome, 'started');
    assert.equal(h.reports()[0].trigger, 'start');
    assert.deepEqual(h.states(), ['building', 'starting', 'running']);
  } finally {
    await h.dispose();
  }
});

test('a failed build leaves the running version serving and says so', async () => {
  const h = await startFakeSession();
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    const v1 = h.strategy.last;
    h.builder.auto = () => failed();
    h.save('main.go', 'package main // broken');
    await until('build failed', () => h.session.currentState === 'failed');
    const report = h.reports()[1];
    assert.equal(report.outcome, 'build-failed');
    assert.match(report.message ?? '', /v1 still serving/);
    assert.equal(report.changedFiles[0].kind, 'create');
    assert.ok(v1.running, 'v1 was not stopped');
    assert.equal(h.session.currentProgram, v1);
    const diagnostics = h.events.filter((e) => e.type === 'diagnostics');
    assert.equal(diagnostics.length, 1);
    assert.equal(h.strategy.deploys.length, 1, 'nothing was deployed');
  } finally {
    await h.dispose();
  }
});

test('keepRunningOnBuildError off: a failed build stops the running version', async () => {
  const h = await startFakeSession({ keepRunningOnBuildError: false });
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    const v1 = h.strategy.last;
    h.builder.auto = () => failed();
    h.save('main.go', 'x');
    await until('build failed', () => h.session.currentState === 'failed');
    assert.equal(v1.running, false);
    assert.equal(h.session.currentProgram, undefined);
    assert.doesNotMatch(h.reports()[1].message ?? '', /still serving/);
  } finally {
    await h.dispose();
  }
});

test('a version that dies on start with nothing to roll back to is retried with backoff', async () => {
  const h = await startFakeSession();
  try {
    await until('v1 deployed', () => h.strategy.programs.length === 1);
    h.strategy.last.die(2, 'panic: boom\n');
    await until('crashed', () => h.session.currentState === 'crashed');
    const crash = h.reports()[1];
    assert.equal(crash.outcome, 'crashed');
    assert.match(crash.message ?? '', /v1 crashed on start \(exited with status 2\): panic: boom/);
    const last = h.events.filter((e) => e.type === 'state').pop();
    assert.match(last?.type === 'state' ? (last.detail ?? '') : '', /retrying in 1s/);
    assert.ok(h.events.some((e) => e.type === 'diagnostics' && e.diagnostics[0]?.source === 'panic'));
    await until('the retry started v1 again', () => h.strategy.programs.length === 2, 3000);
    assert.equal(h.strategy.deploys[1].version, 1);
  } finally {
    await h.dispose();
  }
});

test('a new version that dies on start is replaced by the last good one', async () => {
  const h = await startFakeSession();
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    await new Promise((r) => setTimeout(r, 200)); // v1 outlives the crash window: it is the last good version
    h.save('main.go', 'v2');
    await until('v2 deployed', () => h.strategy.programs.length === 2);
    h.strategy.last.die(1, 'panic: v2 is broken\n');
    await until('rolled back', () => h.reports().some((r) => r.outcome === 'rolled-back'));
    await until('running again', () => h.session.currentState === 'running');
    assert.equal(h.session.currentVersion, 1);
    assert.equal(h.strategy.deploys.map((a) => a.version).join(), '1,2,1');
    assert.match(h.reports().find((r) => r.outcome === 'rolled-back')?.message ?? '', /v2 crashed on start.*v1 serves again/);
  } finally {
    await h.dispose();
  }
});

test('a deploy that fails is reported with the version that served and why', async () => {
  const h = await startFakeSession();
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    h.strategy.failNext = 'v2 did not report ready';
    // The fake restarts (it stops the old one first), so nothing serves after: the report says crashed.
    h.save('main.go', 'v2');
    await until('deploy failed', () => h.reports().length === 2);
    assert.equal(h.reports()[1].outcome, 'crashed');
    assert.equal(h.reports()[1].version, 1);
    assert.equal(h.session.currentState, 'crashed');
  } finally {
    await h.dispose();
  }
});

test('a change during a build cancels it; the next build has both changes and only it is deployed', async () => {
  const h = await startFakeSession();
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    h.builder.auto = undefined;
    h.save('a.go', 'a');
    await until('build 2 started', () => h.builder.builds.length === 2);
    h.save('b.go', 'b');
    await until('build 3 started', () => h.builder.builds.length === 3);
    assert.equal(h.builder.builds[1].signal.aborted, true, 'the build under way was cancelled');
    h.builder.builds[2].settle({ kind: 'ok', file: h.builder.builds[2].outFile, output: '' });
    await until('v2 running', () => h.session.currentVersion === 2 && h.session.currentState === 'running');
    const report = h.reports()[1];
    assert.deepEqual(report.changedFiles.map((c) => c.path.split('/').pop()).sort(), ['a.go', 'b.go']);
    assert.equal(h.strategy.deploys.length, 2);
  } finally {
    await h.dispose();
  }
});

test('a change during a deploy does not cancel it: it is built next', async () => {
  const h = await startFakeSession();
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    const hold = deferred<void>();
    h.strategy.hold = hold.promise;
    h.save('a.go', 'a');
    await until('v2 deploying', () => h.strategy.deploys.length === 2);
    h.save('b.go', 'b');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(h.builder.builds.length, 2, 'no build starts while a deploy is under way');
    h.strategy.hold = undefined;
    hold.resolve();
    await until('v3 running', () => h.session.currentVersion === 3 && h.session.currentState === 'running');
    assert.deepEqual(
      h.reports().map((r) => r.outcome),
      ['started', 'restarted', 'restarted'],
    );
  } finally {
    await h.dispose();
  }
});

test('onBusyUpdate queue: a change during a build lets it finish, then builds again', async () => {
  const h = await startFakeSession({ onBusyUpdate: 'queue' });
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    h.builder.auto = undefined;
    h.save('a.go', 'a');
    await until('build 2 started', () => h.builder.builds.length === 2);
    h.save('b.go', 'b');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(h.builder.builds[1].signal.aborted, false);
    h.builder.builds[1].settle({ kind: 'ok', file: h.builder.builds[1].outFile, output: '' });
    await until('build 3 started', () => h.builder.builds.length === 3);
    h.builder.builds[2].settle({ kind: 'ok', file: h.builder.builds[2].outFile, output: '' });
    await until('v3 running', () => h.session.currentVersion === 3 && h.session.currentState === 'running');
  } finally {
    await h.dispose();
  }
});

test('onBusyUpdate do-nothing: a change during a build is left out until the file is saved again', async () => {
  const h = await startFakeSession({ onBusyUpdate: 'do-nothing' });
  try {
    await until('v1 running', () => h.session.currentState === 'running');
    h.builder.auto = undefined;
    h.save('a.go', 'a');
    await until('build 2 started', () => h.builder.builds.length === 2);
    h.save('b.go', 'b');
    await new Promise((r) => setTimeout(r, 30)); // the save is read and left out while build 2 runs
    h.builder.builds[1].settle({ kind: 'ok', file: h.builder.builds[1].outFile, output: '' });
    await until('v2 running', () => h.session.currentVersion === 2 && h.session.currentState === 'running');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(h.builder.builds.length, 2, 'the change during the build started nothing');
    assert.ok(
      h.session.changes().some((c) => c.path.endsWith('b.go')),
      'Show Changes still lists it',
    );
    h.builder.auto = () => ({ kind: 'ok', file: '', output: '' });
    h.save('b.go', 'b'); // the same content, saved again
    await until('v3 running', () => h.session.currentVersion === 3);
    assert.ok(h.reports()[2].changedFiles.some((c) => c.path.endsWith('b.go')));
  } finally {
    await h.dispose();
  }
});

test('a strategy that can update in place does so: a new version, the same process', async () => {
  const h = await startFakeSession();
  try {
    h.strategy.inPlace = fakeInPlace();
    await until('v1 running', () => h.session.currentState === 'running');
    const v1 = h.strategy.last;
    h.save('rules.go', 'new rules');
    await until('patched', () => h.reports().length === 2);
    assert.equal(h.reports()[1].outcome, 'patched');
    assert.equal(h.session.currentVersion, 2);
    assert.equal(h.session.currentProgram, v1);
    assert.equal(h.builder.builds.length, 1, 'no full build');
  } finally {
    await h.dispose();
  }
});

test('an in-place update that cannot apply falls back to a full build and deploy, saying why', async () => {
  const h = await startFakeSession();
  try {
    h.strategy.inPlace = fakeInPlace(() => ({ kind: 'fallback', reason: 'the plugin failed to load' }));
    await until('v1 running', () => h.session.currentState === 'running');
    h.save('rules.go', 'new rules');
    await until('v2 running', () => h.session.currentVersion === 2 && h.session.currentState === 'running');
    assert.equal(h.reports()[1].outcome, 'restarted');
    assert.match(h.reports()[1].message ?? '', /not patched: the plugin failed to load/);
    assert.equal(h.builder.builds.length, 2);
  } finally {
    await h.dispose();
  }
});

test('stopping ends the program, reports stopped, and ignores changes after', async () => {
  const h = await startFakeSession();
  await until('v1 running', () => h.session.currentState === 'running');
  const v1 = h.strategy.last;
  await h.session.dispose();
  assert.equal(v1.running, false);
  assert.equal(h.states().pop(), 'stopped');
  h.session.restart();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(h.builder.builds.length, 1);
  await h.dispose();
});
