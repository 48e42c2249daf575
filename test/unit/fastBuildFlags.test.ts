import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastBuildFlags } from '../../src/engine/languages/go/fastBuildFlags';

const flags = (buildFlags: string[], buildEnv: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}, on = true) =>
  fastBuildFlags({ fastBuildFlags: on, buildFlags, buildEnv }, env).flags;

test('by default: -ldflags=-s -w and -buildvcs=false', () => {
  assert.deepEqual(flags([]), ['-ldflags=-s -w', '-buildvcs=false']);
  assert.deepEqual(flags(['-tags', 'ldflags', '-race']), ['-ldflags=-s -w', '-buildvcs=false'], 'a flag value that looks like a name is a value');
  assert.deepEqual(flags(['-gcflags=-m']), ['-ldflags=-s -w', '-buildvcs=false'], 'a -gcflags without -N or -l is no debug build');
});

test('the user’s -ldflags or -buildvcs, in buildFlags or GOFLAGS, win', () => {
  assert.deepEqual(flags(['-ldflags', '-X main.v=1']), ['-buildvcs=false']);
  assert.deepEqual(flags(['--ldflags=-X main.v=1']), ['-buildvcs=false']);
  assert.deepEqual(flags(['-buildvcs=true']), ['-ldflags=-s -w']);
  assert.deepEqual(flags(['-buildvcs']), ['-ldflags=-s -w']);
  // A command-line -ldflags would silently replace GOFLAGS' own.
  assert.deepEqual(flags([], {}, { GOFLAGS: '-mod=mod -ldflags=-X=main.v=1' }), ['-buildvcs=false']);
  assert.deepEqual(flags([], { GOFLAGS: '-buildvcs=auto' }, { GOFLAGS: '-ldflags=-X=a' }), ['-ldflags=-s -w'], 'buildEnv GOFLAGS replaces the environment’s');
});

test('a debug build (-gcflags with -N or -l) keeps DWARF for the debugger', () => {
  for (const f of [['-gcflags=all=-N -l'], ['-gcflags', 'all=-N -l'], ['-gcflags=-l']]) assert.deepEqual(flags(f), ['-buildvcs=false'], f.join(' '));
  assert.deepEqual(flags([], {}, { GOFLAGS: '-gcflags=all=-N' }), ['-buildvcs=false']);
  assert.match(fastBuildFlags({ fastBuildFlags: true, buildFlags: ['-gcflags=all=-N -l'], buildEnv: {} }, {}).note, /a debugger needs DWARF/);
});

test('fastBuildFlags off: nothing added, and the note says which setting', () => {
  assert.deepEqual(flags([], {}, {}, false), []);
  assert.match(fastBuildFlags({ fastBuildFlags: false, buildFlags: [], buildEnv: {} }, {}).note, /fastBuildFlags is off/);
});

test('the build runs with GOGC=off under a 512 MiB limit, unless GOGC or GOMEMLIMIT is yours', () => {
  const env = (buildEnv: Record<string, string>, processEnv: NodeJS.ProcessEnv, on = true) =>
    fastBuildFlags({ fastBuildFlags: on, buildFlags: [], buildEnv }, processEnv).env;
  assert.deepEqual(env({}, {}), { GOGC: 'off', GOMEMLIMIT: '512MiB' });
  assert.match(fastBuildFlags({ fastBuildFlags: true, buildFlags: [], buildEnv: {} }, {}).note, /GOGC=off with GOMEMLIMIT=512MiB/);
  assert.deepEqual(env({ GOGC: '200' }, {}), {});
  assert.deepEqual(env({}, { GOMEMLIMIT: '2GiB' }), {});
  assert.match(fastBuildFlags({ fastBuildFlags: true, buildFlags: [], buildEnv: { GOGC: '50' } }, {}).note, /leaves out GOGC=off \(your GOGC or GOMEMLIMIT\)/);
  assert.deepEqual(env({}, {}, false), {});
});
