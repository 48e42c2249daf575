/**
 * A program's output reaches whoever listens to it, even what it printed before anyone could:
 * a program that prints and exits at once has its output delivered together with its start, in
 * the same chunk from the supervisor, before the session subscribes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramProcess } from '../../src/engine/processes/program';
import type { Supervisor } from '../../src/engine/processes/supervisor/supervisor';

/** A supervisor whose process had printed by the time it said it started. */
function supervisorThatPrinted(chunks: [stream: 'stdout' | 'stderr', text: string][]): Supervisor {
  const process = {
    started: Promise.resolve(4242),
    exited: new Promise(() => undefined),
    onOutput(listener: (stream: 'stdout' | 'stderr', data: Buffer) => void) {
      for (const [stream, text] of chunks) listener(stream, Buffer.from(text));
    },
  };
  return { spawn: () => process } as unknown as Supervisor;
}

test('what a program printed before its launcher subscribed reaches the first listener, in order', async () => {
  const supervisor = supervisorThatPrinted([
    ['stderr', 'crashing\n'],
    ['stdout', 'bye\n'],
  ]);
  const program = await ProgramProcess.start({ executable: '/bin/true', version: 1, supervisor, args: [], env: {}, cwd: '/' });
  const seen: string[] = [];
  program.onOutput((stream, data) => seen.push(`${stream}:${data}`));
  assert.deepEqual(seen, ['stderr:crashing\n', 'stdout:bye\n']);
  assert.equal(program.outputTail(), 'crashing\nbye\n');
});

test('the early output kept for a late listener is bounded', async () => {
  const line = `${'x'.repeat(1023)}\n`;
  const supervisor = supervisorThatPrinted(Array.from({ length: 200 }, () => ['stdout', line] as ['stdout', string]));
  const program = await ProgramProcess.start({ executable: '/bin/true', version: 1, supervisor, args: [], env: {}, cwd: '/' });
  let bytes = 0;
  program.onOutput((_stream, data) => (bytes += data.length));
  assert.ok(bytes >= 64 * 1024 && bytes <= 65 * 1024, `kept ${bytes} bytes`);
});
