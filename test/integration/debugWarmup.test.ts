/**
 * The debug warm-up (languages/go/debugWarmup.ts), with real go on examples/hello and the package
 * threshold lowered to 0: after a good debug build it builds every package without optimisation
 * in the background, then hands the builder `-gcflags=all=-N -l`; it leaves the patch strategy,
 * debugAllPackages and non-debug sessions alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugWarmup } from '../../src/engine/languages/go/debugWarmup';
import type { FastBuildFlags } from '../../src/engine/languages/go/fastBuildFlags';
import { copyExample, goAvailable } from '../support/examples';
import { tempDir } from '../support/files';

const skip = goAvailable() ? false : 'go is not installed';

const settingsFor = (moduleRoot: string, workDir: string) => ({
  debug: true,
  debugAllPackages: false,
  buildCommand: undefined,
  strategy: 'restart' as const,
  moduleRoot,
  package: '.',
  buildFlags: [],
  buildEnv: {},
  fastBuildFlags: true,
  workDir,
});

test(
  'after a good debug build, every package is built without optimisation in the background, then the builder gets all=-N -l',
  { skip, timeout: 600_000 },
  async () => {
    const dir = copyExample('hello');
    const workDir = tempDir('hr-warmup-work-');
    const notes: string[] = [];
    let warmed: FastBuildFlags | undefined;
    const warmup = new DebugWarmup({ settings: settingsFor(dir, workDir), note: (m) => notes.push(m), warmed: (f) => (warmed = f), fromPackages: 0 });
    try {
      await warmup.afterGoodBuild({ ...process.env });
      assert.ok(warmed, `warmed: ${notes.join(' | ')}`);
      assert.ok(warmed.flags.includes('-gcflags=all=-N -l'), warmed.flags.join(' '));
      assert.match(notes[0], /^debug: building the \d+ packages without optimisation in the background/);
      assert.match(
        notes[1],
        /^debug: every package is built without optimisation now \(\d+\.\d s in the background\): the next builds use -gcflags=all=-N -l$/,
      );
      assert.equal(fs.existsSync(path.join(workDir, 'debug-warmup')), false, 'its output is removed');
      // Once per session.
      await warmup.afterGoodBuild({ ...process.env });
      assert.equal(notes.length, 2);
    } finally {
      warmup.dispose();
    }
  },
);

test('a program below the threshold, the patch strategy, debugAllPackages and a build without debug are left alone', { skip }, async () => {
  const dir = copyExample('hello');
  const workDir = tempDir('hr-warmup-work-');
  const base = settingsFor(dir, workDir);
  for (const settings of [
    { ...base, strategy: 'patch' as const },
    { ...base, debugAllPackages: true },
    { ...base, debug: false },
  ])
    assert.equal(DebugWarmup.applies(settings), false, JSON.stringify(settings));
  let warmed = false;
  const warmup = new DebugWarmup({ settings: base, note: () => undefined, warmed: () => (warmed = true), fromPackages: 100_000 });
  await warmup.afterGoodBuild({ ...process.env });
  assert.equal(warmed, false);
});
