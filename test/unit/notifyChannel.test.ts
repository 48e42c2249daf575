import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCommand, parseNotifyLine } from '../../src/engine/strategies/handoff/programChannels';

test('parseNotifyLine: events, unknown events kept, anything else ignored', () => {
  assert.deepEqual(parseNotifyLine('{"event":"ready"}'), { event: 'ready' });
  assert.deepEqual(parseNotifyLine(' {"event":"patchFailed","slot":"rules","id":7,"error":"boom"} '), {
    event: 'patchFailed',
    slot: 'rules',
    id: 7,
    error: 'boom',
  });
  assert.deepEqual(parseNotifyLine('{"event":"future","x":1}'), { event: 'future', x: 1 });
  for (const line of ['', 'ready', '[1]', '{"event":3}', '{"nope":"ready"}', '{"event":"ready"', 'null']) assert.equal(parseNotifyLine(line), undefined, line);
});

test('formatCommand: one JSON line', () => {
  assert.equal(formatCommand({ op: 'patch', slot: 'rules', id: 7, path: '/a/b.so' }), '{"op":"patch","slot":"rules","id":7,"path":"/a/b.so"}\n');
});
