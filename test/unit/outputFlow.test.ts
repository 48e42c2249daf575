import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputFlow, type EngineEvent, type OutputSink, type Session } from '../../src/engine';
import { Emitter } from '../../src/engine/kernel/emitter';

/** A sink that holds everything until `drain()`, like a terminal nobody reads. */
function stuckSink() {
  let held = 0;
  const written: string[] = [];
  const notes: string[] = [];
  const listeners = new Set<() => void>();
  const sink: OutputSink = {
    write: (data) => {
      held += data.length;
      written.push(data);
      return held;
    },
    note: (m) => notes.push(m),
    backlog: () => held,
    onDrain: (l) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
  };
  return { sink, written, notes, drain: () => ((held = 0), [...listeners].forEach((l) => l())) };
}

function fakeSession(policy: 'drop' | 'pause') {
  const events = new Emitter<EngineEvent>();
  const paused: boolean[] = [];
  const session = { events, settings: { outputOverflow: policy }, setOutputPaused: (p: boolean) => paused.push(p) } as unknown as Session;
  const print = (data: string) => events.fire({ type: 'output', stream: 'stdout', data, version: 1 });
  return { session, paused, print };
}

test('OutputFlow drop: past the limit output is dropped and counted, and the count is said once the reader catches up', () => {
  const { session, print } = fakeSession('drop');
  const s = stuckSink();
  const flow = new OutputFlow(session, s.sink, 'drop', 1000);
  for (let i = 0; i < 100; i++) print('x'.repeat(100)); // 10 000 bytes against a limit of 1000
  const kept = s.written.join('').length;
  assert.ok(kept <= 1100, `the sink holds ${kept} bytes`);
  s.drain();
  assert.equal(s.notes.length, 1);
  assert.match(s.notes[0], /8\.\d KB of output dropped/);
  print('after');
  assert.equal(s.written[s.written.length - 1], 'after', 'output flows again');
  flow.dispose();
});

test('OutputFlow pause: past the limit the program is paused, and resumed when the reader catches up', () => {
  const { session, paused, print } = fakeSession('pause');
  const s = stuckSink();
  const flow = new OutputFlow(session, s.sink, 'pause', 1000);
  for (let i = 0; i < 20; i++) print('x'.repeat(100));
  assert.deepEqual(paused, [true]);
  assert.equal(s.written.join('').length, 2000, 'nothing is dropped (a few chunks in flight may pass the limit)');
  s.drain();
  assert.deepEqual(paused, [true, false]);
  flow.dispose();
});
