import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildProgress } from '../../src/engine';
import { ProgressGate } from '../../src/engine/session/progressGate';
import { eventually } from '../support/waiting';

const compiling = (count: number): BuildProgress => ({ phase: 'compiling', count, message: `compiling packages (${count} done)` });

test('a build that ends within the delay says nothing, not even done', async () => {
  const sent: BuildProgress[] = [];
  const gate = new ProgressGate((p) => sent.push(p), 60_000);
  gate.update(compiling(1));
  gate.update(compiling(2));
  gate.end('built');
  assert.deepEqual(sent, []);
});

test('a slow build shows its latest progress once the delay passed, then ends with done', async () => {
  const sent: BuildProgress[] = [];
  const gate = new ProgressGate((p) => sent.push(p), 10);
  gate.update(compiling(1));
  gate.update(compiling(2));
  await eventually('the held progress is sent', () => sent.length > 0);
  assert.deepEqual(sent[0], compiling(2), 'the latest, not every line');
  gate.update({ phase: 'downloading', count: 1, message: 'downloading m v1 (1 module)' });
  assert.equal(sent.at(-1)?.phase, 'downloading', 'a new phase is sent at once');
  for (let i = 3; i < 200; i++) gate.update(compiling(i));
  assert.ok(sent.length < 10, `throttled, not one per package (${sent.length} sent)`);
  await eventually('the last update arrives after the throttle', () => sent.at(-1)?.count === 199);
  gate.end('build cancelled');
  assert.deepEqual(sent.at(-1), { phase: 'done', count: 199, message: 'build cancelled' });
  gate.update(compiling(300));
  assert.equal(sent.at(-1)?.phase, 'done', 'nothing after the end');
});
