import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goBuildFlags, strippingFlagsIn } from '../../src/engine/languages/go/buildFlags';

test('go build flags: the user’s as they are without debug', () => {
  assert.deepEqual(goBuildFlags({ debug: false, buildFlags: ['-tags', 'dev', '-ldflags=-s -w'] }), ['-tags', 'dev', '-ldflags=-s -w']);
});

test('go build flags under debug: no optimisation or inlining, -s and -w gone whoever set them, the rest of -ldflags kept, DWARF uncompressed', () => {
  assert.deepEqual(goBuildFlags({ debug: true, buildFlags: [] }), ['-gcflags=all=-N -l', '-ldflags=-compressdwarf=false']);
  assert.deepEqual(goBuildFlags({ debug: true, buildFlags: ['-tags', 'dev', '-ldflags', '-s -X main.v=1 -w'] }), [
    '-tags',
    'dev',
    '-gcflags=all=-N -l',
    '-ldflags=-X main.v=1 -compressdwarf=false',
  ]);
  assert.deepEqual(goBuildFlags({ debug: true, buildFlags: ['--ldflags=-w', '-race'] }), ['-race', '-gcflags=all=-N -l', '-ldflags=-compressdwarf=false']);
  assert.equal(strippingFlagsIn(['-ldflags=-s -w']), true);
  assert.equal(strippingFlagsIn(['-ldflags', '-X a=b']), false);
});
