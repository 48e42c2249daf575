import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildProgress } from '../../src/engine';
import { ProgressGate } from '../../src/engine/session/reload/progressGate';
import { FakeClock } from '../support/fakeClock';

const compiling = (count: number): BuildProgress => ({ phase: 'compiling', count, message: `compiling packages (${count} done)` });

test('a build that ends within the delay says nothing, not even done', async () => {
  const sent: BuildProgress[] = [];
  const clock = new FakeClock();
  const gate = new ProgressGate((p) => sent.push(p), { clock, delayMs: 1000 });
  gate.update(compiling(1));
  await clock.advance(500);
  gate.update(compiling(2));
  gate.end('built');
  await clock.advance(2000);
  assert.deepEqual(sent, []);
});

test('a slow build shows its latest progress once the delay passed, then ends with done', async () => {
  const sent: BuildProgress[] = [];
  const clock = new FakeClock();
  const gate = new ProgressGate((p) => sent.push(p), { clock, delayMs: 1000 });
  gate.update(compiling(1));
  gate.update(compiling(2));
  await clock.advance(999);
  assert.equal(sent.length, 0, 'nothing within the delay');
  await clock.advance(1);
  assert.deepEqual(sent, [compiling(2)], 'the latest, not every line');
  gate.update({ phase: 'downloading', count: 1, message: 'downloading m v1 (1 module)' });
  assert.equal(sent.at(-1)?.phase, 'downloading', 'a new phase is sent at once');
  for (let i = 3; i < 200; i++) gate.update(compiling(i));
  assert.ok(sent.length < 10, `throttled, not one per package (${sent.length} sent)`);
  assert.notEqual(sent.at(-1)?.count, 199, 'held back by the throttle');
  await clock.advance(250);
  assert.equal(sent.at(-1)?.count, 199, 'the last update arrives after the throttle');
  gate.end('build cancelled');
  assert.deepEqual(sent.at(-1), { phase: 'done', count: 199, message: 'build cancelled' });
  gate.update(compiling(300));
  assert.equal(sent.at(-1)?.phase, 'done', 'nothing after the end');
});
