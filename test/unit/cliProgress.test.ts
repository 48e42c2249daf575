import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildProgress } from '../../src/engine';
import { CliRenderer } from '../../src/cli/render';

const event = (progress: BuildProgress) => ({ type: 'progress' as const, progress });

test('the CLI prints build progress on stderr lines, a line a second at most, a new phase at once', () => {
  const r = new CliRenderer('/m', false);
  assert.deepEqual(r.render(event({ phase: 'downloading', count: 1, message: 'downloading example.com/greet v1.0.0 (1 module)' })), [
    '[hotreload] downloading example.com/greet v1.0.0 (1 module)',
  ]);
  assert.deepEqual(r.render(event({ phase: 'compiling', count: 1, message: 'compiling packages (1 done)' })), ['[hotreload] compiling packages (1 done)']);
  assert.deepEqual(r.render(event({ phase: 'compiling', count: 2, message: 'compiling packages (2 done)' })), [], 'the same phase within a second');
  assert.deepEqual(r.render(event({ phase: 'done', count: 2, message: 'built' })), [], "the reload's report says the end");
  assert.deepEqual(
    r.render(event({ phase: 'compiling', count: 1, total: 9, message: 'compiling 1 of 9 packages' })),
    ['[hotreload] compiling 1 of 9 packages'],
    'the next build starts afresh',
  );
});
