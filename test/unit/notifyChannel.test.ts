import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNotifyLine, formatCommand } from '../../src/engine/strategies/handoff/protocol';

test('decodeNotifyLine: events; unknown events and anything else are not acted on', () => {
  assert.deepEqual(decodeNotifyLine('{"event":"ready"}'), { ok: true, message: { event: 'ready' } });
  assert.deepEqual(decodeNotifyLine(' {"event":"patchFailed","slot":"rules","id":7,"error":"boom"} '), {
    ok: true,
    message: { event: 'patchFailed', slot: 'rules', id: 7, error: 'boom' },
  });
  assert.deepEqual(decodeNotifyLine('{"event":"future","x":1}'), { ok: false, error: 'unknown event "future"' });
  for (const line of ['', 'ready', '[1]', '{"event":3}', '{"nope":"ready"}', '{"event":"ready"', 'null', '{"event":"patched","slot":"rules"}'])
    assert.equal(decodeNotifyLine(line).ok, false, line);
});

test('formatCommand: one JSON line', () => {
  assert.equal(formatCommand({ op: 'patch', slot: 'rules', id: 7, path: '/a/b.so' }), '{"op":"patch","slot":"rules","id":7,"path":"/a/b.so"}\n');
});
