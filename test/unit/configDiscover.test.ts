import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeChoice, discoverMainPackages, findModuleRoot, findNestedModuleRoots, toGoRelative } from '../../src/engine/languages/go/discover';
import { goAvailable } from '../support/examples';
import { tempDir, tempDirOutsideProjects, writeFile } from '../support/files';

/** A module with three main packages, one with a syntax error, plus ones that must not count. */
function makeModule(): string {
  const root = tempDir('hr-discover-');
  writeFile(path.join(root, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
  writeFile(path.join(root, 'main.go'), 'package main\n\nfunc main() {}\n');
  writeFile(path.join(root, 'cmd', 'api', 'main.go'), 'package main\n\nfunc main() {}\n');
  writeFile(path.join(root, 'cmd', 'worker', 'main.go'), 'package main\n\nfunc main( {\n'); // syntax error
  writeFile(path.join(root, 'internal', 'lib', 'lib.go'), 'package lib\n');
  writeFile(path.join(root, 'testdata', 'fixture', 'main.go'), 'package main\n\nfunc main() {}\n');
  writeFile(path.join(root, 'vendor', 'example.com', 'dep', 'main.go'), 'package main\n\nfunc main() {}\n');
  return root;
}

/** Like makeModule, plus a package whose package clause is broken. */
function makeModuleWithBrokenClause(): string {
  const root = makeModule();
  writeFile(path.join(root, 'cmd', 'broken', 'main.go'), 'pakage main\n');
  return root;
}

test('findModuleRoot walks up to go.mod', () => {
  const root = tempDir('hr-discover-');
  writeFile(path.join(root, 'go.mod'), 'module x\n');
  const deep = path.join(root, 'a', 'b');
  fs.mkdirSync(deep, { recursive: true });
  assert.equal(findModuleRoot(deep), root);
  assert.equal(findModuleRoot(root), root);
});

test('findModuleRoot: undefined when no go.mod above', (t) => {
  const scratch = tempDirOutsideProjects('hr-discover-', ['go.mod']);
  if ('skip' in scratch) return t.skip(scratch.skip);
  const deep = path.join(scratch.dir, 'a', 'b');
  fs.mkdirSync(deep, { recursive: true });
  assert.equal(findModuleRoot(deep), undefined);
  assert.equal(findModuleRoot(scratch.dir), undefined);
});

test('findNestedModuleRoots finds modules in subdirectories, skipping hidden, vendor, node_modules', () => {
  const root = tempDir('hr-discover-');
  writeFile(path.join(root, 'backend', 'go.mod'), 'module b\n');
  writeFile(path.join(root, 'tools', 'gen', 'go.mod'), 'module g\n');
  writeFile(path.join(root, 'node_modules', 'x', 'go.mod'), 'module n\n');
  writeFile(path.join(root, '.cache', 'go.mod'), 'module c\n');
  writeFile(path.join(root, 'backend', 'sub', 'go.mod'), 'module inner\n'); // inside a module: not searched
  assert.deepEqual(findNestedModuleRoots(root), [path.join(root, 'backend'), path.join(root, 'tools', 'gen')]);
});

test(
  'discoverMainPackages lists main packages, despite a syntax error, without vendor and testdata',
  { skip: !goAvailable() && 'go not installed' },
  async () => {
    const root = makeModule();
    const { packages, problems } = await discoverMainPackages(root);
    assert.deepEqual(problems, []);
    const byRel = Object.fromEntries(packages.map((p) => [p.relative, p]));
    assert.deepEqual(Object.keys(byRel).sort(), ['.', './cmd/api', './cmd/worker']);
    assert.equal(byRel['./cmd/api'].importPath, 'example.com/app/cmd/api');
    assert.equal(byRel['./cmd/api'].dir, path.join(root, 'cmd', 'api'));
    assert.equal(byRel['.'].importPath, 'example.com/app');
  },
);

test('discoverMainPackages: a package go cannot read is a warning, the others still listed', { skip: !goAvailable() && 'go not installed' }, async () => {
  const root = makeModuleWithBrokenClause();
  const { packages, problems } = await discoverMainPackages(root);
  assert.deepEqual(packages.map((p) => p.relative).sort(), ['.', './cmd/api', './cmd/worker']);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].severity, 'warning');
  assert.match(problems[0].message, /package \.\/cmd\/broken could not be read \(expected 'package', found pakage\)/);
});

test('discoverMainPackages with dir: only packages below it, relative to the module root', { skip: !goAvailable() && 'go not installed' }, async () => {
  const root = makeModule();
  const { packages, problems } = await discoverMainPackages(root, { dir: path.join(root, 'cmd') });
  assert.deepEqual(problems, []);
  assert.deepEqual(packages.map((p) => p.relative).sort(), ['./cmd/api', './cmd/worker']);
});

test('discoverMainPackages: a directory with a space and non-ASCII name', { skip: !goAvailable() && 'go not installed' }, async () => {
  const root = path.join(tempDir('hr-discover-'), 'my app é');
  writeFile(path.join(root, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
  writeFile(path.join(root, 'cmd', 'server', 'main.go'), 'package main\n\nfunc main() {}\n');
  const { packages, problems } = await discoverMainPackages(root);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    packages.map((p) => p.relative),
    ['./cmd/server'],
  );
  assert.equal(packages[0].dir, path.join(root, 'cmd', 'server'));
});

test('discoverMainPackages: build tags are passed on', { skip: !goAvailable() && 'go not installed' }, async () => {
  const root = tempDir('hr-discover-');
  writeFile(path.join(root, 'go.mod'), 'module example.com/t\n\ngo 1.21\n');
  writeFile(path.join(root, 'dev', 'main.go'), '//go:build dev\n\npackage main\n\nfunc main() {}\n');
  const without = await discoverMainPackages(root);
  assert.deepEqual(without.packages, []);
  const withTag = await discoverMainPackages(root, { buildFlags: ['-race', '-tags', 'dev'] });
  assert.deepEqual(
    withTag.packages.map((p) => p.relative),
    ['./dev'],
  );
});

test('discoverMainPackages: Go not found is a clear error, not a throw', async () => {
  const root = tempDir('hr-discover-');
  const result = await discoverMainPackages(root, { goBin: path.join(root, 'no-such-go') });
  assert.deepEqual(result.packages, []);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0].severity, 'error');
  assert.match(result.problems[0].message, /^Go toolchain not found/);
  assert.match(result.problems[0].message, /https:\/\/go\.dev\/dl/);

  const noPath = await discoverMainPackages(root, { env: { PATH: root } });
  assert.match(noPath.problems[0].message, /^Go toolchain not found \("go" is not on PATH\)/);
});

test("discoverMainPackages: a broken go.mod is an error with go's message", { skip: !goAvailable() && 'go not installed' }, async () => {
  const root = tempDir('hr-discover-');
  writeFile(path.join(root, 'go.mod'), 'module example.com/b\n\ngo 1.21\nbogus directive\n');
  writeFile(path.join(root, 'main.go'), 'package main\n\nfunc main() {}\n');
  const { packages, problems } = await discoverMainPackages(root);
  assert.deepEqual(packages, []);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].severity, 'error');
  assert.match(problems[0].message, /go\.mod:4/);
});

test('discoverMainPackages: a timeout is reported', { skip: process.platform === 'win32' }, async () => {
  const root = tempDir('hr-discover-');
  const fakeGo = path.join(root, 'slow-go');
  writeFile(fakeGo, '#!/bin/sh\nsleep 5\n');
  fs.chmodSync(fakeGo, 0o755);
  const { problems } = await discoverMainPackages(root, { goBin: fakeGo, timeoutMs: 200 });
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /did not finish/);
});

test('describeChoice names every package and how to pick one', () => {
  const message = describeChoice([{ relative: './cmd/api' }, { relative: './cmd/worker' }, { relative: '.' }]);
  assert.equal(message, 'found 3 main packages: ./cmd/api, ./cmd/worker, .; pick one with --package ./cmd/api or the hotReload.package setting');
});

test('toGoRelative', () => {
  assert.equal(toGoRelative(''), '.');
  assert.equal(toGoRelative(path.join('cmd', 'api')), './cmd/api');
});
