/**
 * The log `hotreload logs` reads: the program's output by version and the reload log, interleaved
 * as they happened, each bounded (a chatty program or a long session never grows it), with
 * `sinceVersion` and `lines` cutting it as the CLI's flags say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionLog } from '../../src/engine/control/sessionLog';
import { logText } from '../../src/engine/control/text';
import type { ReloadReport } from '../../src/engine';

const report = (version: number, outcome: ReloadReport['outcome'] = 'restarted'): ReloadReport => ({
  version,
  trigger: 'change',
  changedFiles: [{ path: '/p/main.go', kind: 'update', added: 1, removed: 1 }],
  phases: { detectMs: 1, buildMs: 2, stopMs: 3, startMs: 4, totalMs: 10 },
  outcome,
  strategy: 'restart',
  pid: 42,
  finishedAt: 0,
});

function sample(): SessionLog {
  const log = new SessionLog('/p');
  log.follow({ type: 'log', level: 'info', message: 'watching /p' });
  log.follow({ type: 'output', stream: 'stdout', data: 'v1 up\n', version: 1 });
  log.follow({ type: 'reload', report: { ...report(1), outcome: 'started' } });
  log.follow({ type: 'output', stream: 'stderr', data: 'v1 serving\n', version: 1 });
  log.follow({
    type: 'diagnostics',
    diagnostics: [{ file: '/p/main.go', line: 3, column: 9, severity: 'error', message: 'undefined: x', source: 'go build', related: [] }],
  });
  log.follow({ type: 'reload', report: report(2) });
  log.follow({ type: 'output', stream: 'stdout', data: 'v2 up\nv2 serving\n', version: 2 });
  return log;
}

test('output and the reload log interleave as they happened, engine lines marked', () => {
  assert.equal(
    logText(sample().read().entries),
    [
      '[hotreload] watching /p',
      'v1 up',
      '[hotreload] v1 started · change · 10 ms (detect 1 · build 2 · stop 3 · start 4) · pid 42 · main.go +1/-1',
      'v1 serving',
      '[hotreload] main.go:3:9: undefined: x',
      '[hotreload] v2 restarted · change · 10 ms (detect 1 · build 2 · stop 3 · start 4) · pid 42 · main.go +1/-1',
      'v2 up',
      'v2 serving',
      '',
    ].join('\n'),
  );
});

test('sinceVersion: that version’s output and the reload log from its report on', () => {
  const text = logText(sample().read({ sinceVersion: 2 }).entries);
  assert.equal(text, '[hotreload] v2 restarted · change · 10 ms (detect 1 · build 2 · stop 3 · start 4) · pid 42 · main.go +1/-1\nv2 up\nv2 serving\n');
});

test('lines: the last n lines, an output chunk cut at a line', () => {
  assert.equal(
    logText(sample().read({ lines: 3 }).entries)
      .split('\n')
      .filter(Boolean).length,
    3,
  );
  assert.equal(logText(sample().read({ lines: 1 }).entries), 'v2 serving\n');
});

test('the output is bounded by size and the reload log by lines; what was dropped is counted', () => {
  const log = new SessionLog('/p', { outputChars: 1000, engineLines: 10 });
  for (let i = 0; i < 10_000; i++) {
    log.follow({ type: 'output', stream: i % 2 ? 'stdout' : 'stderr', data: `line ${i}\n`, version: 1 });
    if (i % 100 === 0) log.follow({ type: 'log', level: 'info', message: `note ${i}` });
  }
  const { entries, droppedOutputBytes, droppedEngineLines } = log.read();
  const outputChars = entries.filter((e) => e.kind === 'output').reduce((n, e) => n + e.text.length, 0);
  assert.ok(outputChars <= 1000, `${outputChars} chars of output kept`);
  assert.equal(entries.filter((e) => e.kind === 'engine').length, 10);
  assert.equal(droppedEngineLines, 90);
  assert.ok(droppedOutputBytes > 80_000);
  assert.match(logText(entries), /line 9999\n$/, 'the newest is kept');
});

test('chunks of one version and stream that follow each other are one entry; followers get each chunk', () => {
  const log = new SessionLog('/p');
  const followed: string[] = [];
  log.added.on((entry) => followed.push(entry.text));
  log.follow({ type: 'output', stream: 'stdout', data: 'a', version: 1 });
  log.follow({ type: 'output', stream: 'stdout', data: 'b\n', version: 1 });
  log.follow({ type: 'output', stream: 'stderr', data: 'c\n', version: 1 });
  assert.deepEqual(
    log.read().entries.map((e) => e.text),
    ['ab\n', 'c\n'],
  );
  assert.deepEqual(followed, ['a', 'b\n', 'c\n']);
});
