/**
 * The crash summary after a rollback: said once the version serving again has gone quiet (so it
 * stays below that version's start-up banner), by a deadline for a program that never does, at
 * once when a new reload starts, and not at all when the rollback did not happen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/engine/kernel/emitter';
import type { CrashSummaryEvent, EngineEvent, ReloadOutcome, ReloadTrigger } from '../../src/engine/kernel/events';
import { CliRenderer } from '../../src/cli/render';
import { CrashNotice } from '../../src/engine/session/report/crashNotice';
import { crashSummaryLine } from '../../src/engine/session/report/reportText';
import type { Diagnostic } from '../../src/engine/kernel/diagnostic';
import { FakeClock } from '../support/fakeClock';

const panic: Diagnostic = {
  file: '/w/app/main.go',
  line: 42,
  column: 0,
  severity: 'error',
  message: 'panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:',
  source: 'panic',
  related: [],
};

function setUp(quietMs = 40, maxWaitMs = 10_000) {
  const events = new Emitter<EngineEvent>();
  const seen: EngineEvent[] = [];
  events.on((e) => seen.push(e));
  const clock = new FakeClock();
  const notice = new CrashNotice(events, { clock, quietMs, maxWaitMs });
  const report = (version: number, trigger: ReloadTrigger = 'rollback', outcome: ReloadOutcome = 'rolled-back') =>
    events.fire({
      type: 'reload',
      report: {
        version,
        trigger,
        outcome,
        changedFiles: [],
        phases: { detectMs: 0, buildMs: 0, stopMs: 0, startMs: 1, totalMs: 1 },
        strategy: 'restart',
        finishedAt: Date.now(),
      },
    });
  const output = (version: number, data: string) => events.fire({ type: 'output', stream: 'stdout', data, version });
  const summaries = () => seen.filter((e): e is CrashSummaryEvent => e.type === 'crash-summary');
  return { events, seen, notice, clock, report, output, summaries };
}

test('the summary comes once the version serving again has printed its banner, below it', async () => {
  const t = setUp();
  t.notice.expect({ crashed: 6, serving: 5, how: 'exited with status 2', diagnostic: panic });
  t.report(5);
  for (let i = 0; i < 30; i++) {
    t.output(5, `[GIN-debug] GET /route/${i}\n`);
    await t.clock.advance(5);
  }
  assert.equal(t.summaries().length, 0, 'not while the banner goes on');
  await t.clock.advance(40);
  const summary = t.summaries()[0];
  assert.deepEqual(summary, {
    type: 'crash-summary',
    crashed: 6,
    serving: 5,
    how: 'exited with status 2',
    message: 'panic: runtime error: index out of range [3] with length 3',
    location: { file: '/w/app/main.go', line: 42, column: 0 },
  });
  const lastBanner = t.seen.map((e) => e.type).lastIndexOf('output');
  assert.ok(t.seen.indexOf(summary) > lastBanner, 'after the last banner line');
  assert.equal(
    crashSummaryLine(summary, (l) => `${l.file}:${l.line}`),
    'v6 crashed on start (exited with status 2): panic: runtime error: index out of range [3] with length 3 · /w/app/main.go:42 · v5 serves again',
  );
  await t.clock.advance(100);
  assert.equal(t.summaries().length, 1, 'said once');
  t.notice.dispose();
});

test('a program that never goes quiet gets the summary by the deadline', async () => {
  const t = setUp(40, 150);
  t.notice.expect({ crashed: 3, serving: 2, how: 'was killed by SIGSEGV', diagnostic: undefined });
  t.report(2);
  for (let ms = 0; ms < 145; ms += 5) {
    t.output(2, 'tick\n');
    await t.clock.advance(5);
  }
  assert.equal(t.summaries().length, 0, 'not before the deadline');
  t.output(2, 'tick\n');
  await t.clock.advance(5);
  assert.equal(t.summaries().length, 1, 'by the deadline, while v2 keeps printing');
  const summary = t.summaries()[0];
  assert.equal(summary.location, undefined, 'no trace, no place');
  assert.equal(
    crashSummaryLine(summary, () => 'never'),
    'v3 crashed on start (was killed by SIGSEGV) · v2 serves again',
  );
  t.notice.dispose();
});

test('a version slow to print its banner: the summary waits for its first output, then for it to go quiet', async () => {
  const t = setUp(40, 10_000);
  t.notice.expect({ crashed: 8, serving: 7, how: 'exited with status 2', diagnostic: panic });
  t.report(7);
  await t.clock.advance(200);
  assert.equal(t.summaries().length, 0, 'not before v7 has printed anything');
  t.output(7, 'banner\n');
  await t.clock.advance(40);
  assert.equal(t.summaries().length, 1, 'the summary once the banner went quiet');
  assert.ok(t.seen.indexOf(t.summaries()[0]) > t.seen.findIndex((e) => e.type === 'output'));
  t.notice.dispose();
});

test('a version that prints nothing gets the summary by the deadline', async () => {
  const t = setUp(40, 150);
  t.notice.expect({ crashed: 8, serving: 7, how: 'exited with status 2', diagnostic: panic });
  t.report(7);
  await t.clock.advance(149);
  assert.equal(t.summaries().length, 0);
  await t.clock.advance(1);
  assert.equal(t.summaries().length, 1, 'by the deadline');
  t.notice.dispose();
});

test('a new reload says it at once; output of another version does not hold it back', async () => {
  const t = setUp(60_000);
  t.notice.expect({ crashed: 4, serving: 3, how: 'exited with status 2', diagnostic: panic });
  t.report(3);
  t.output(4, 'late output of the crashed version\n');
  assert.equal(t.summaries().length, 0, 'waiting for v3 to go quiet');
  t.events.fire({ type: 'state', state: 'building', errorCount: 0 });
  assert.equal(t.summaries().length, 1, 'said when the next reload starts');
  t.notice.dispose();
});

test('no rollback, no summary: the last good version failed to start too, or a change came first', async () => {
  const t = setUp(10);
  t.notice.expect({ crashed: 2, serving: 1, how: 'exited with status 2', diagnostic: panic });
  t.report(1, 'rollback', 'crashed');
  t.notice.expect({ crashed: 2, serving: 1, how: 'exited with status 2', diagnostic: panic });
  t.report(3, 'change', 'restarted');
  await t.clock.advance(100);
  assert.deepEqual(t.summaries(), []);
  t.notice.dispose();
});

test('the CLI says the summary on one line, the location relative to the project', () => {
  const lines = new CliRenderer('/w/app', false).render({
    type: 'crash-summary',
    crashed: 6,
    serving: 5,
    how: 'exited with status 2',
    message: 'panic: boom',
    location: { file: '/w/app/internal/cfg.go', line: 9, column: 0 },
  });
  assert.deepEqual(lines, ['[hotreload] ── v6 crashed on start (exited with status 2): panic: boom · internal/cfg.go:9 · v5 serves again']);
});
