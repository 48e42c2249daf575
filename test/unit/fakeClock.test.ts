/**
 * The fake clock the session's tests move: timers run in the order they fall due, only when time
 * is moved past them, with promise callbacks let run in between, as Node would run them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fakeClock';

test('timers run when time passes them, soonest first, then in the order they were set', async () => {
  const clock = new FakeClock(1000);
  const ran: string[] = [];
  clock.setTimeout(() => ran.push('b at 20'), 20);
  clock.setTimeout(() => ran.push('a at 10'), 10);
  clock.setTimeout(() => ran.push('c at 20'), 20);
  const dropped = clock.setTimeout(() => ran.push('cleared'), 5);
  clock.clearTimeout(dropped);
  await clock.advance(9);
  assert.deepEqual(ran, []);
  assert.equal(clock.now(), 1009);
  await clock.advance(11);
  assert.deepEqual(ran, ['a at 10', 'b at 20', 'c at 20']);
  assert.deepEqual(clock.pending(), []);
});

test('a timer set by a timer, or by a promise callback after one, runs within the same advance when due', async () => {
  const clock = new FakeClock(0);
  const at: number[] = [];
  clock.setTimeout(() => {
    at.push(clock.now());
    void Promise.resolve().then(() => clock.setTimeout(() => at.push(clock.now()), 30));
  }, 10);
  await clock.advance(100);
  assert.deepEqual(at, [10, 40]);
});

test('intervals repeat; refresh starts a delay over; a zero delay is 1 ms, as in Node', async () => {
  const clock = new FakeClock(0);
  let ticks = 0;
  const interval = clock.setInterval(() => ticks++, 10);
  await clock.advance(35);
  assert.equal(ticks, 3);
  clock.clearInterval(interval);
  await clock.advance(100);
  assert.equal(ticks, 3);

  let quiet = false;
  const timer = clock.setTimeout(() => (quiet = true), 40);
  await clock.advance(30);
  timer.refresh();
  await clock.advance(30);
  assert.equal(quiet, false, 'refreshed at 30: due at 70');
  await clock.advance(10);
  assert.equal(quiet, true);

  let zero = false;
  clock.setTimeout(() => (zero = true), 0);
  await clock.advance(0);
  assert.equal(zero, false);
  await clock.advance(1);
  assert.equal(zero, true);
});
