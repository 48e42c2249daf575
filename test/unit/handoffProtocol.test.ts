import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../src/engine/kernel/wireMessages';
import { CONTROL_COMMANDS, decodeNotifyLine, formatCommand, NOTIFY_EVENTS, type NotifyEvent } from '../../src/engine/strategies/handoff/protocol';
import { formatNotifyEvent, parseControlLine, type NotifyEvent as HookEvent } from '../../src/runtime/node/hook/protocol';
import { goldenLines } from '../support/goldenLines';

// go/hotreload's tests (protocol_unix_test.go) write the lines a Go program and the engine
// exchange on the notify and control descriptors. The engine must read every event and write
// every command exactly so; the Node hook, the other program side, must write every event and
// read every command exactly so. A field renamed on any side fails here.
const lines = goldenLines('handoff');
const events = lines.filter((l) => 'event' in l.value);
const commands = lines.filter((l) => 'op' in l.value);

test('the engine reads every event of the handoff golden lines, field for field', () => {
  const seen = new Set<string>();
  for (const line of events) {
    const decoded = decodeNotifyLine(line.text);
    assert.ok(decoded.ok, `${line.where}: ${decoded.ok ? '' : decoded.error}\n${line.text}`);
    assert.deepEqual(decoded.message, line.value, `${line.where}: fields the engine does not know\n${line.text}`);
    seen.add(decoded.message.event);
  }
  assert.deepEqual([...seen].sort(), Object.keys(NOTIFY_EVENTS).sort(), 'the golden lines have every event');
});

test('the engine writes every command of the handoff golden lines, byte for byte', () => {
  assert.ok(commands.length > 0);
  for (const line of commands) {
    const decoded = decodeMessage('op', CONTROL_COMMANDS, line.value);
    assert.ok(decoded.ok, `${line.where}: ${decoded.ok ? '' : decoded.error}\n${line.text}`);
    assert.equal(formatCommand(decoded.message), `${line.text}\n`, line.where);
  }
});

/** The engine's event as the hook builds it, field by field (a field the hook's type lacks does not compile). */
function asHookEvent(event: NotifyEvent): HookEvent {
  switch (event.event) {
    case 'ready':
    case 'draining':
      return { event: event.event };
    case 'patched':
      return { event: 'patched', slot: event.slot, id: event.id };
    case 'patchFailed':
      return { event: 'patchFailed', slot: event.slot, id: event.id, error: event.error ?? '' };
  }
}

test('the Node hook writes every event of the handoff golden lines, byte for byte', () => {
  for (const line of events) {
    const decoded = decodeNotifyLine(line.text);
    assert.ok(decoded.ok, line.where);
    assert.equal(formatNotifyEvent(asHookEvent(decoded.message)), `${line.text}\n`, line.where);
  }
});

test('the Node hook reads every command of the handoff golden lines', () => {
  for (const line of commands) {
    const parsed = parseControlLine(line.text);
    assert.deepEqual(parsed, { kind: 'patch', command: line.value }, line.where);
  }
});

test('the Node hook ignores other ops and says what is malformed', () => {
  assert.deepEqual(parseControlLine('{"op":"future"}'), { kind: 'unknown', op: 'future' });
  assert.equal(parseControlLine('not json').kind, 'malformed');
  assert.equal(parseControlLine('{"op":"patch","slot":"app","id":"7","path":"/a.js"}').kind, 'malformed');
});
