/**
 * How an outcome is said: each reload result and each exit verdict becomes its diagnostics, log
 * lines, report and state in one pure function; and how the keeper judges an exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../src/engine/kernel/diagnostic';
import { announcementOf } from '../../src/engine/session/report/announcement';
import { NO_PHASES } from '../../src/engine/session/reload/result';
import { CRASH_BACKOFF_MS, judgeExit, type ExitFacts } from '../../src/engine/session/serving/exitVerdict';

const error: Diagnostic = { file: '/p/main.go', line: 3, column: 1, severity: 'error', message: 'undefined: x', source: 'go build', related: [] };
const panic: Diagnostic = { ...error, line: 9, message: 'panic: boom\n\ngoroutine 1', source: 'panic' };
const file = { path: '/p/main.go', kind: 'update' as const };
const phases = { detectMs: 1, buildMs: 2, stopMs: 3, startMs: 4 };
const reload = { trigger: 'save' as const, changedFiles: [file], phases };

test('a deployed version: the report says how it was made and the notes; the state is running', () => {
  const built = announcementOf({ kind: 'deployed', ...reload, outcome: 'restarted', made: 'built' });
  assert.deepEqual(built, {
    logs: [],
    report: { ...reload, outcome: 'restarted', message: undefined, builtBeforeSave: false },
    state: { state: 'running' },
  });
  assert.equal(announcementOf({ kind: 'deployed', ...reload, outcome: 'handed-off', made: 'before-save' }).report?.builtBeforeSave, true);
  const reused = announcementOf({ kind: 'deployed', ...reload, changedFiles: [], outcome: 'restarted', made: 'reused' }).report;
  assert.equal(reused?.unchangedSources, true);
  assert.equal(reused?.builtBeforeSave, undefined);
  const noted = announcementOf({
    kind: 'deployed',
    ...reload,
    outcome: 'handed-off',
    made: 'built',
    notPatched: 'not patched: main.go',
    note: 'strategy auto: handoff',
  });
  assert.equal(noted.report?.message, 'not patched: main.go; strategy auto: handoff');
  assert.deepEqual(noted.logs, [{ level: 'info', message: 'strategy auto: handoff' }], 'the strategy’s note is logged too');
  assert.equal(noted.diagnostics, undefined, 'diagnostics stay (a good build cleared them already)');
});

test('a patch clears the diagnostics and is reported as patched', () => {
  assert.deepEqual(announcementOf({ kind: 'patched', ...reload, message: 'rules.go patched' }), {
    diagnostics: [],
    logs: [],
    report: { ...reload, outcome: 'patched', message: 'rules.go patched' },
    state: { state: 'running' },
  });
});

test('a failed build: its diagnostics, and the version still serving in the report and the state alike', () => {
  const said = announcementOf({
    kind: 'build-failed',
    ...reload,
    message: 'build failed: 1 error',
    diagnostics: [error],
    output: 'main.go:3: undefined: x',
    serving: 4,
  });
  assert.deepEqual(said, {
    diagnostics: [error],
    logs: [],
    report: { ...reload, outcome: 'build-failed', message: 'build failed: 1 error; v4 still serving' },
    state: { state: 'failed', detail: 'build failed: 1 error; v4 still serving' },
  });
  const unparsed = announcementOf({
    kind: 'build-failed',
    ...reload,
    message: 'pre-build command `make` failed',
    diagnostics: [],
    output: ' make: no rule \n',
    serving: undefined,
  });
  assert.deepEqual(unparsed.logs, [{ level: 'error', message: 'make: no rule' }], 'output with no diagnostic in it is shown as it came');
  assert.equal(unparsed.state.detail, 'pre-build command `make` failed', 'nothing serves: nothing said about it');
});

test('a version that fails to start: rolled back while the old one serves, crashed when nothing does', () => {
  const failure = { kind: 'start-failed' as const, ...reload, version: 5, previous: 4, message: 'v5 did not report ready', diagnostic: panic };
  const rolledBack = announcementOf({ ...failure, serving: true, notPatched: 'not patched: main.go' });
  assert.deepEqual(rolledBack, {
    diagnostics: [panic],
    logs: [{ level: 'error', message: 'v5 failed to start: v5 did not report ready' }],
    report: { ...reload, outcome: 'rolled-back', message: 'not patched: main.go; v5 did not report ready', version: 4 },
    state: { state: 'running', detail: 'v5 failed to start: v5 did not report ready' },
  });
  const crashed = announcementOf({ ...failure, previous: undefined, serving: false, diagnostic: undefined, headline: 'port 8080 in use' });
  assert.equal(crashed.report?.outcome, 'crashed');
  assert.equal(crashed.report?.version, 5, 'no version before it: its own');
  assert.deepEqual(crashed.diagnostics, []);
  assert.deepEqual(crashed.state, { state: 'crashed', detail: 'v5 failed to start: v5 did not report ready', headline: 'port 8080 in use' });
});

test('the keeper’s starts of a known version: rollback, retry, rerun, and one that fails', () => {
  const rollback = announcementOf({ kind: 'redeployed', trigger: 'rollback', version: 3, why: 'v4 crashed on start', startMs: 7 });
  assert.deepEqual(rollback, {
    logs: [],
    report: {
      trigger: 'rollback',
      changedFiles: [],
      phases: { ...NO_PHASES, startMs: 7 },
      version: 3,
      outcome: 'rolled-back',
      message: 'v4 crashed on start; v3 serves again',
    },
    state: { state: 'running', detail: 'rolled back to v3: v4 crashed on start' },
  });
  const retry = announcementOf({ kind: 'redeployed', trigger: 'retry', version: 1, why: 'v1 crashed on start; attempt 2', startMs: 1 });
  assert.equal(retry.report?.outcome, 'restarted');
  assert.equal(retry.report?.message, 'started v1 again after: v1 crashed on start; attempt 2');
  assert.equal(retry.state.detail, 'v1 started again after it crashed on start');
  const rerun = announcementOf({ kind: 'redeployed', trigger: 'rerun', version: 2, why: 'rerun after exit', startMs: 1 });
  assert.deepEqual([rerun.report?.message, rerun.state.detail], ['rerun after exit', undefined]);
  const failed = announcementOf({ kind: 'redeploy-failed', trigger: 'rollback', version: 3, message: 'exec format error', startMs: 0 });
  assert.equal(failed.report?.outcome, 'crashed');
  assert.deepEqual(failed.state, { state: 'crashed', detail: 'cannot start v3: exec format error' });
});

test('exits: a crash on start says what comes next; a later exit says how it ended', () => {
  const crash = {
    kind: 'crashed-on-start' as const,
    version: 2,
    how: 'exited with status 2',
    diagnostic: panic,
    why: 'v2 crashed on start (exited with status 2): panic: boom',
    attempts: 1,
  };
  const rollback = announcementOf({ ...crash, next: { kind: 'restore', target: 1, rollback: true, delayMs: 0 } });
  assert.equal(rollback.report, undefined, 'the rollback’s own report follows');
  assert.deepEqual(rollback.crashOnStart, { crashed: 2, serving: 1, how: 'exited with status 2', diagnostic: panic });
  assert.equal(rollback.state.detail, `${crash.why}; starting v1 again`);
  const again = announcementOf({ ...crash, attempts: 2, next: { kind: 'restore', target: 2, rollback: false, delayMs: 2000 } });
  assert.equal(again.crashOnStart, undefined);
  assert.equal(again.state.detail, `${crash.why}; starting v2 in 2s`);
  const retry = announcementOf({ ...crash, next: { kind: 'retry', delayMs: 1000 } });
  assert.deepEqual(retry.report, { trigger: 'rollback', changedFiles: [], phases: NO_PHASES, outcome: 'crashed', message: crash.why, version: 2 });
  assert.equal(retry.state.detail, `${crash.why}; retrying in 1s`);
  assert.deepEqual(retry.diagnostics, [panic]);
  const gaveUp = announcementOf({ ...crash, attempts: 6, next: { kind: 'give-up' } });
  assert.equal(gaveUp.state.detail, `${crash.why}; gave up after 6 attempts: save a change or restart to try again`);

  const exited = { kind: 'exited' as const, version: 3, diagnostic: undefined };
  const done = announcementOf({ ...exited, how: 'exited with status 0', status: 0, rerun: false });
  assert.equal(done.diagnostics, undefined, 'no crash: diagnostics stay');
  assert.deepEqual(done.state, { state: 'idle', detail: 'v3 exited with status 0; save a change to run it again' });
  const died = announcementOf({ ...exited, how: 'was killed by SIGKILL', status: null, rerun: true });
  assert.deepEqual(died.logs, [{ level: 'error', message: 'v3 was killed by SIGKILL' }]);
  assert.deepEqual(died.state, { state: 'crashed', detail: 'v3 was killed by SIGKILL' });
});

test('judging an exit: the crash window, the last good version, the backoff and giving up', () => {
  const v = (version: number) => ({ version, path: `/b/${version}`, builtAt: 0 });
  const facts: ExitFacts = {
    artifact: v(2),
    exit: { code: 2, signal: null },
    livedMs: 10,
    crashWindowMs: 1000,
    lastGood: v(1),
    crashCount: 0,
    diagnostic: panic,
    rerun: false,
  };
  const first = judgeExit(facts);
  assert.equal(first.kind === 'crashed-on-start' && first.why, 'v2 crashed on start (exited with status 2): panic: boom');
  assert.deepEqual(
    first.kind === 'crashed-on-start' && first.next,
    { kind: 'restore', target: 1, rollback: true, delayMs: 0 },
    'back to the last good one at once',
  );
  const second = judgeExit({ ...facts, crashCount: 1 });
  assert.deepEqual(
    second.kind === 'crashed-on-start' && second.next,
    { kind: 'restore', target: 1, rollback: true, delayMs: CRASH_BACKOFF_MS[1] },
    'it crashed too: backoff',
  );
  const none = CRASH_BACKOFF_MS.map((_, i) => judgeExit({ ...facts, lastGood: undefined, crashCount: i }));
  assert.deepEqual(
    none.map((n) => n.kind === 'crashed-on-start' && n.next),
    CRASH_BACKOFF_MS.map((delayMs) => ({ kind: 'retry', delayMs })),
  );
  const last = judgeExit({ ...facts, lastGood: undefined, crashCount: CRASH_BACKOFF_MS.length });
  assert.deepEqual(last.kind === 'crashed-on-start' && [last.attempts, last.next], [CRASH_BACKOFF_MS.length + 1, { kind: 'give-up' }]);
  const itself = judgeExit({ ...facts, lastGood: v(2) });
  assert.deepEqual(itself.kind === 'crashed-on-start' && itself.next, { kind: 'restore', target: 2, rollback: false, delayMs: CRASH_BACKOFF_MS[0] });
  assert.deepEqual(judgeExit({ ...facts, livedMs: 1000, rerun: true }), {
    kind: 'exited',
    version: 2,
    how: 'exited with status 2',
    diagnostic: panic,
    status: 2,
    rerun: true,
  });
});
