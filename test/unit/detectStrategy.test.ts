import { test } from 'node:test';
import assert from 'node:assert/strict';
import { depsIncludeLibrary } from '../../src/engine/languages/go/detectLibrary';
import { goListFlags as listFlags } from '../../src/engine/languages/go/goList';

test('depsIncludeLibrary: an exact import path among the deps', () => {
  assert.equal(depsIncludeLibrary('fmt\nnet/http\nhotreload.dev/go/hotreload\nexample.com/app\n'), true);
  assert.equal(depsIncludeLibrary('fmt\r\nhotreload.dev/go/hotreload\r\n'), true);
  assert.equal(depsIncludeLibrary('fmt\nhotreload.dev/go/hotreload/internal\nexample.com/hotreload.dev/go/hotreload\n'), false);
  assert.equal(depsIncludeLibrary(''), false);
});

test('listFlags: only the flags that select files and modules', () => {
  assert.deepEqual(listFlags(['-race', '-tags', 'dev', '-mod=vendor', '-ldflags', '-s -w', '--modfile', 'x.mod', '-trimpath']), [
    '-tags',
    'dev',
    '-mod=vendor',
    '--modfile',
    'x.mod',
  ]);
  assert.deepEqual(listFlags(['-tags']), []);
});
