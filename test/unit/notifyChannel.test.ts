import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCommand, LineSplitter, parseNotifyLine } from '../../src/engine/strategies/handoff/programChannels';

test('LineSplitter: lines across chunks, CRLF, a partial last line kept for later', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('{"event":"re'), []);
  assert.deepEqual(s.push('ady"}\n{"event":"drain'), ['{"event":"ready"}']);
  assert.deepEqual(s.push(Buffer.from('ing"}\r\n\n')), ['{"event":"draining"}', '']);
});

test('LineSplitter: a UTF-8 character split between chunks stays whole', () => {
  const s = new LineSplitter();
  const bytes = Buffer.from('{"error":"é"}\n');
  const cut = bytes.indexOf(0xc3) + 1;
  assert.deepEqual(s.push(bytes.subarray(0, cut)), []);
  assert.deepEqual(s.push(bytes.subarray(cut)), ['{"error":"é"}']);
});

test('LineSplitter: an overlong line is dropped up to its newline, the next line is kept', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('x'.repeat(70 * 1024)), []);
  assert.deepEqual(s.push('still the long line\n{"event":"ready"}\n'), ['{"event":"ready"}']);
});

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
