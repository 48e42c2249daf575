/**
 * Restart: a version that panics on start after one that listened. Its deploy waits for it to
 * serve, it dies during that wait, the last good version is started again, and the crash summary
 * follows that version's start-up output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setGreeting, startSession } from './harness';
import { copyExample } from '../support/examples';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

test('restart: a version that panics on start is rolled back, and the crash summary comes after the rollback', async () => {
  const dir = copyExample('hello');
  const { t, port } = await startSession(dir, { strategy: 'restart' });
  try {
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'hello, world');
    // Let the strategy learn that the program listens: the next deploy then waits for it to serve.
    await eventually('learnt', () => (t.session.strategy as unknown as { waitsForServing?: boolean }).waitsForServing || undefined);
    fs.writeFileSync(path.join(dir, 'greeting.go'), 'package main\n\nfunc init() { panic("config is broken") }\n\nfunc greeting() string { return "never" }\n');
    const said = () => JSON.stringify(t.reports().map((r) => [r.version, r.trigger, r.outcome]));
    const summary = await eventually(
      () => `the crash summary (reports: ${said()})`,
      () => t.events.find((e) => e.type === 'crash-summary'),
      { timeoutMs: 60_000 },
    );
    assert.ok(summary.type === 'crash-summary' && summary.crashed === 2 && summary.serving === 1, JSON.stringify(summary));
    // v2's own report first (it ran, then crashed), then the rollback: no report of a "v0".
    assert.deepEqual(
      t.reports().map((r) => [r.version, r.outcome]),
      [
        [1, 'started'],
        [2, 'restarted'],
        [1, 'rolled-back'],
      ],
      said(),
    );
    assert.equal((await httpGet(port)).body, 'hello, world', 'v1 serves again');
    setGreeting(dir, 'fixed');
    await eventually('the fix serves', async () => ((await httpGet(port)).body === 'fixed' ? true : undefined), { timeoutMs: 60_000 });
  } finally {
    await t.dispose();
  }
});
