import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeMessage } from '../../src/engine/kernel/wireMessages';
import { encodeInput, encodeJson, FrameDecoder, FRAME_FILE, FRAME_JSON, FRAME_OUTPUT } from '../../src/engine/processes/supervisor/frames';
import { decodeEvent, EVENTS, REQUESTS, type SupervisorRequest } from '../../src/engine/processes/supervisor/protocol';
import { goldenLines, PROTOCOL_FIXTURES } from '../support/goldenLines';

// The supervisor's Go test (supervisor/protocol_test.go) drives its serve loop with every request
// and writes what went over the wire; every line must read back as this engine's message, with no
// field this engine does not know (a field renamed on one side fails here).
const lines = goldenLines('supervisor', ['frames.jsonl']);

test('every request in the supervisor golden transcripts is one the engine sends, field for field', () => {
  const seen = new Set<string>();
  for (const line of lines.filter((l) => 'op' in l.value)) {
    const decoded = decodeMessage('op', REQUESTS, line.value);
    assert.ok(decoded.ok, `${line.where}: ${decoded.ok ? '' : decoded.error}\n${line.text}`);
    assert.deepEqual(decoded.message, line.value, `${line.where}: fields the engine does not know\n${line.text}`);
    seen.add(decoded.message.op);
  }
  assert.deepEqual([...seen].sort(), Object.keys(REQUESTS).sort(), 'the transcripts have every request');
});

test('every event in the supervisor golden transcripts is one the engine reads, field for field', () => {
  const seen = new Set<string>();
  for (const line of lines.filter((l) => !('op' in l.value))) {
    const decoded = decodeEvent(line.value);
    assert.ok(decoded.ok, `${line.where}: ${decoded.ok ? '' : decoded.error}\n${line.text}`);
    assert.deepEqual(decoded.message, line.value, `${line.where}: fields the engine does not know\n${line.text}`);
    seen.add(decoded.message.event);
  }
  assert.deepEqual([...seen].sort(), Object.keys(EVENTS).sort(), 'the transcripts have every event');
});

test('the frames in frames.jsonl are what the engine writes and reads, byte for byte', () => {
  const file = path.join(PROTOCOL_FIXTURES, 'supervisor', 'frames.jsonl');
  const frames = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => JSON.parse(text) as { kind: string; message?: Record<string, unknown>; id?: number; stream?: string; data?: string; hex: string });
  assert.deepEqual(frames.map((f) => f.kind).sort(), ['file', 'input', 'json', 'json', 'output', 'output']);
  for (const frame of frames) {
    const bytes = Buffer.from(frame.hex, 'hex');
    const data = Buffer.from(frame.data ?? '', 'utf8');
    switch (frame.kind) {
      case 'json':
        if ('op' in frame.message!) {
          assert.equal(encodeJson(frame.message as SupervisorRequest).toString('hex'), frame.hex, 'a request frame');
        } else {
          assert.deepEqual(new FrameDecoder().push(bytes), [{ kind: FRAME_JSON, message: frame.message }]);
          assert.ok(decodeEvent(frame.message).ok);
        }
        break;
      case 'output':
        assert.deepEqual(new FrameDecoder().push(bytes), [{ kind: FRAME_OUTPUT, id: frame.id, stream: frame.stream, data }]);
        break;
      case 'input':
        assert.equal(encodeInput(frame.id!, data).toString('hex'), frame.hex);
        break;
      case 'file':
        assert.equal(encodeInput(frame.id!, data, FRAME_FILE).toString('hex'), frame.hex);
        break;
      default:
        assert.fail(`unknown frame kind ${frame.kind}`);
    }
  }
});

test('decodeEvent: a missing or mistyped field is an error, an unknown one is left out', () => {
  assert.deepEqual(decodeEvent({ event: 'spawned', id: 1, pid: 7, extra: true }), { ok: true, message: { event: 'spawned', id: 1, pid: 7 } });
  assert.deepEqual(decodeEvent({ event: 'spawned', id: 1 }), { ok: false, error: 'event "spawned" has no "pid"' });
  assert.deepEqual(decodeEvent({ event: 'exited', id: 1, code: '3' }), { ok: false, error: 'event "exited": "code" is not a number' });
  assert.deepEqual(decodeEvent({ event: 'launched', id: 1 }), { ok: false, error: 'unknown event "launched"' });
  assert.deepEqual(decodeEvent([1]), { ok: false, error: 'not a JSON object' });
  assert.deepEqual(decodeMessage('op', REQUESTS, { op: 'spawn', id: 1, path: 'a', args: ['x', 2], env: [], dir: '/', stopSignal: 'SIGTERM', graceMs: 1 }), {
    ok: false,
    error: 'op "spawn": "args" is not a string[]',
  });
});
