import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildProgress } from '../../src/engine';
import { GoBuildProgress, withoutPackageLines } from '../../src/engine/languages/go/buildProgress';
import { ModuleDownloads } from '../../src/engine/languages/go/moduleDownloads';
import { parseGoBuildOutput } from '../../src/engine/languages/go/buildErrors';
import { repoRoot } from '../support/examples';

/** Captured from Go 1.26: `go build -v` of a module with one dependency, GOCACHE and GOMODCACHE empty. */
const COLD = fs.readFileSync(path.join(repoRoot, 'test', 'unit', 'fixtures', 'go-build-v-cold.txt'), 'utf8');
/** The same module with a type error, warm. */
const FAILED = fs.readFileSync(path.join(repoRoot, 'test', 'unit', 'fixtures', 'go-build-v-failed.txt'), 'utf8');

function feedAll(text: string, chunk: number, total?: number): BuildProgress[] {
  const seen: BuildProgress[] = [];
  const progress = new GoBuildProgress((p) => seen.push(p));
  if (total !== undefined) progress.setTotal(total);
  for (let i = 0; i < text.length; i += chunk) progress.feed(text.slice(i, i + chunk));
  return seen;
}

test('a cold build reads as a module download, then every package compiled', () => {
  const seen = feedAll(COLD, 4096);
  assert.deepEqual(seen[0], { phase: 'downloading', count: 1, message: 'downloading example.com/greet v1.0.0 (1 module)' });
  const compiling = seen.filter((p) => p.phase === 'compiling');
  assert.equal(compiling.length, 62, 'one per package line of the capture');
  assert.deepEqual(compiling.at(-1), { phase: 'compiling', count: 62, message: 'compiling packages (62 done)' });
});

test('lines split across chunks are read whole', () => {
  assert.deepEqual(feedAll(COLD, 7), feedAll(COLD, 100_000));
});

test('with the packages counted it says N of M, and never more than M', () => {
  const seen = feedAll(COLD, 512, 63);
  assert.equal(seen.at(-1)?.message, 'compiling 62 of 63 packages');
  assert.equal(seen.at(-1)?.total, 63);
  const over = feedAll(COLD, 512, 10);
  assert.equal(over.at(-1)?.message, 'compiling 10 of 10 packages');
});

test("-v's package lines leave the errors and their parse as without -v", () => {
  const cleaned = withoutPackageLines(FAILED);
  assert.ok(!/^example\.com\/app$/m.test(cleaned), cleaned);
  assert.match(cleaned, /^# example\.com\/app$/m);
  const diagnostics = parseGoBuildOutput(cleaned, { cwd: '/m', moduleRoot: '/m' });
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].message, 'undefined: undefined');
  assert.equal(withoutPackageLines(COLD).trim(), 'go: downloading example.com/greet v1.0.0');
});

test("another go command's downloads count, those under way before the build too; its package list does not", () => {
  const downloads = new ModuleDownloads();
  downloads.feed('go: downloading example.com/gre');
  downloads.feed('et v1.0.0\ninternal/goarch\n');
  const seen: BuildProgress[] = [];
  const progress = new GoBuildProgress((p) => seen.push(p));
  const following = downloads.follow((line) => progress.downloadSeen(line));
  downloads.feed('example.com/greet\ngo: downloading example.com/other v0.2.0\n');
  progress.feed('go: downloading example.com/greet v1.0.0\n');
  following.dispose();
  downloads.feed('go: downloading example.com/late v1.0.0\n');
  assert.deepEqual(
    seen.map((p) => p.message),
    ['downloading example.com/greet v1.0.0 (1 module)', 'downloading example.com/other v0.2.0 (2 modules)'],
    'a module both name counts once',
  );
  downloads.done();
  assert.equal(seen.length, 2);
  downloads.follow((line) => progress.downloadSeen(line)).dispose();
  assert.equal(seen.length, 2, 'a finished command leaves nothing under way');
});
