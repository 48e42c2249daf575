import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExampleForBuild } from './zeroDowntime';

/**
 * go/hotreload costs a handoff-only program nothing it does not use: Go's plugin package needs cgo
 * and makes the Go linker hand the link to gcc, which doubled examples/handoff's rebuild. Slots
 * live in go/hotreload/patch, which only patching programs (examples/game) import.
 */
function deps(dir: string, env: NodeJS.ProcessEnv = {}): string[] {
  return execFileSync('go', ['list', '-deps', '-f', '{{.ImportPath}}', '.'], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' }).split('\n');
}

test('examples/handoff links neither plugin nor (without net’s own cgo) runtime/cgo, and links internally', () => {
  const dir = copyExampleForBuild('handoff');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-link-'));
  try {
    const withCgo = deps(dir, { CGO_ENABLED: '1' });
    assert.ok(withCgo.includes('hotreload.dev/go/hotreload'), 'the example uses go/hotreload');
    assert.ok(!withCgo.includes('plugin'), 'no plugin package');
    assert.ok(!withCgo.includes('hotreload.dev/go/hotreload/patch'), 'no slots package');
    // With cgo on, net itself brings runtime/cgo into any HTTP program (and the Go linker still
    // links that internally); with cgo off, nothing the example imports asks for it.
    const withoutCgo = deps(dir, { CGO_ENABLED: '0' });
    assert.ok(!withoutCgo.includes('plugin') && !withoutCgo.includes('runtime/cgo'), 'neither plugin nor runtime/cgo with CGO_ENABLED=0');
    // What plugin cost: an external (gcc) link. -ldflags=-v prints "host link" for one.
    const link = spawnSync('go', ['build', '-o', path.join(out, 'app'), '-ldflags=-v', '.'], {
      cwd: dir,
      env: { ...process.env, CGO_ENABLED: '1' },
      encoding: 'utf8',
    });
    assert.equal(link.status, 0, link.stderr);
    assert.match(link.stderr, /^HEADER = /m, 'the linker’s -v log is read');
    assert.doesNotMatch(link.stderr, /host link/, 'the Go linker links it by itself');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('examples/game, which patches, declares its slot with go/hotreload/patch', () => {
  const dir = copyExampleForBuild('game');
  try {
    const withCgo = deps(dir, { CGO_ENABLED: '1' });
    assert.ok(withCgo.includes('hotreload.dev/go/hotreload/patch'));
    assert.ok(withCgo.includes('plugin'), 'the patching program links plugin support');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
