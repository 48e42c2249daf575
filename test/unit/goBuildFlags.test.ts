import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goBuildFlags, strippingFlagsIn } from '../../src/engine/languages/go/buildFlags';
import { tempDir } from '../support/files';

/** No go.mod there: debug builds fall back to every package. */
const nowhere = { moduleRoot: '/nonexistent-module' };
const noWork = { GOWORK: 'off' };

test('go build flags: the user’s as they are without debug', () => {
  assert.deepEqual(goBuildFlags({ ...nowhere, debug: false, buildFlags: ['-tags', 'dev', '-ldflags=-s -w'] }), ['-tags', 'dev', '-ldflags=-s -w']);
});

test('go build flags under debug: no optimisation or inlining, -s and -w gone whoever set them, the rest of -ldflags kept, DWARF uncompressed', () => {
  assert.deepEqual(goBuildFlags({ ...nowhere, debug: true, buildFlags: [] }, noWork), ['-gcflags=all=-N -l', '-ldflags=-compressdwarf=false']);
  assert.deepEqual(goBuildFlags({ ...nowhere, debug: true, buildFlags: ['-tags', 'dev', '-ldflags', '-s -X main.v=1 -w'] }, noWork), [
    '-tags',
    'dev',
    '-gcflags=all=-N -l',
    '-ldflags=-X main.v=1 -compressdwarf=false',
  ]);
  assert.deepEqual(goBuildFlags({ ...nowhere, debug: true, buildFlags: ['--ldflags=-w', '-race'] }, noWork), [
    '-race',
    '-gcflags=all=-N -l',
    '-ldflags=-compressdwarf=false',
  ]);
  assert.equal(strippingFlagsIn(['-ldflags=-s -w']), true);
  assert.equal(strippingFlagsIn(['-ldflags', '-X a=b']), false);
});

test('debug builds compile only the user’s modules without optimisation (the module, its go.work’s), all packages when asked', () => {
  const work = tempDir('hr-debugpkgs-');
  fs.mkdirSync(path.join(work, 'app'));
  fs.mkdirSync(path.join(work, 'lib'));
  fs.writeFileSync(path.join(work, 'app', 'go.mod'), 'module example.com/app // the service\n\ngo 1.22\n');
  fs.writeFileSync(path.join(work, 'lib', 'go.mod'), 'module "example.com/lib"\n\ngo 1.22\n');
  const app = { moduleRoot: path.join(work, 'app'), debug: true, buildFlags: [] };
  assert.deepEqual(goBuildFlags(app, noWork), ['-gcflags=example.com/app/...=-N -l', '-ldflags=-compressdwarf=false']);
  fs.writeFileSync(path.join(work, 'go.work'), 'go 1.22\n\nuse (\n\t./app\n\t./lib // shared\n)\n');
  assert.deepEqual(goBuildFlags(app, {}), ['-gcflags=example.com/app/...=-N -l', '-gcflags=example.com/lib/...=-N -l', '-ldflags=-compressdwarf=false']);
  assert.deepEqual(goBuildFlags(app, noWork), ['-gcflags=example.com/app/...=-N -l', '-ldflags=-compressdwarf=false'], 'GOWORK=off: the module alone');
  assert.deepEqual(goBuildFlags({ ...app, debugAllPackages: true }, {}), ['-gcflags=all=-N -l', '-ldflags=-compressdwarf=false']);
});
