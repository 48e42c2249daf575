/**
 * Node and TypeScript programs under the restart strategy, built with esbuild: zero
 * configuration, edits that reload, files the build does not read that do not, esbuild errors in
 * Problems while the old version serves, an exception at start at its source line with the last
 * good version back, ES modules, esbuild installed into the cache for a project without one, and
 * a folder that is both Go and Node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSession, TestSession } from './harness';
import { listTargets, openSession } from '../../src/engine';
import { tempDir, writeFile } from '../support/files';
import { httpGet } from '../support/http';
import { copyNodeExample, setNodeGreeting } from '../support/nodeExamples';
import { eventually } from '../support/waiting';

test('node: a TypeScript service with an npm dependency runs with no configuration; an edit reloads, a file that is not one of its sources does not', async () => {
  const dir = copyNodeExample('node-ts');
  const { t, port, first } = await startSession(dir);
  try {
    assert.equal(first.outcome, 'started', first.message);
    assert.equal(first.strategy, 'restart');
    assert.match(first.message ?? '', /strategy auto: restart, as a Node program may listen on any port/);
    assert.equal(t.session.settings.entry, path.join(dir, 'src', 'server.ts'), "package.json's main (dist/server.js) stands for src/server.ts");
    await eventually('v1 answers', async () => (await httpGet(port)).body === 'hello from TypeScript');
    assert.match(t.output, /node-ts: serving on/);

    setNodeGreeting(dir, 'hello, reloaded');
    const second = await t.report(2);
    assert.equal(second.outcome, 'restarted', second.message);
    assert.deepEqual(
      second.changedFiles.map((c) => path.relative(dir, c.path)),
      [path.join('src', 'greeting.ts')],
    );
    assert.notEqual(second.pid, first.pid);
    await eventually('v2 answers', async () => (await httpGet(port)).body === 'hello, reloaded');

    // TypeScript that is not a source of the program (outside tsconfig's include: ["src"]), saved or not, is no reason to build.
    const notes = writeFile(path.join(dir, 'scripts', 'notes.ts'), 'export const notes = 1;\n');
    void t.session.notifySaved([notes]);
    await sleep(1000);
    assert.equal(
      t.reports().length,
      2,
      `no reload for a file the build does not read: ${t
        .reports()
        .map((r) => r.outcome)
        .join(', ')}`,
    );
  } finally {
    await t.dispose();
  }
});

test('node: an esbuild error is a diagnostic at its line while the old version serves, and clears with the fix', async () => {
  const dir = copyNodeExample('node-ts');
  const { t, port } = await startSession(dir);
  try {
    await eventually('v1 answers', () => httpGet(port));
    const greeting = path.join(dir, 'src', 'greeting.ts');
    fs.writeFileSync(greeting, "/** What the service answers. */\nexport function greeting(): string {\n  return 'broken' +;\n}\n");
    const failed = await t.report(2);
    assert.equal(failed.outcome, 'build-failed');
    assert.match(failed.message ?? '', /build failed: 1 error; v1 still serving/);
    const [diagnostic] = t.lastDiagnostics();
    assert.equal(diagnostic.file, greeting);
    assert.equal(diagnostic.line, 3);
    assert.equal(diagnostic.column, 20);
    assert.equal(diagnostic.source, 'esbuild');
    assert.match(diagnostic.message, /Unexpected ";"/);
    assert.equal((await httpGet(port)).body, 'hello from TypeScript', 'v1 still serves');

    setNodeGreeting(dir, 'fixed');
    const fixed = await t.report(3);
    assert.equal(fixed.outcome, 'restarted', fixed.message);
    assert.deepEqual(t.lastDiagnostics(), []);
    await eventually('v2 answers', async () => (await httpGet(port)).body === 'fixed');
  } finally {
    await t.dispose();
  }
});

test('node: an exception at start is a diagnostic at its source line (source maps), and the last good version serves again', async () => {
  const dir = copyNodeExample('node-ts');
  const { t, port, first } = await startSession(dir);
  try {
    await sleep(1100); // v1 outlives the crash window: it is the last good version
    const greeting = path.join(dir, 'src', 'greeting.ts');
    setNodeGreeting(dir, 'never', "const mood: string = 'grumpy';\nif (mood) throw new Error(`no greeting today: ${mood}`);\n");
    const started = await t.report(2);
    assert.equal(started.outcome, 'restarted', started.message);
    const rolledBack = await t.report(3);
    assert.equal(rolledBack.outcome, 'rolled-back', rolledBack.message);
    assert.match(rolledBack.message ?? '', /v2 crashed on start \(exited with status 1\): Error: no greeting today: grumpy; v1 serves again/);
    const diagnostic = t.lastDiagnostics().find((d) => d.source === 'exception');
    assert.ok(diagnostic, JSON.stringify(t.lastDiagnostics()));
    assert.equal(diagnostic.file, greeting);
    assert.equal(diagnostic.line, 2, 'the throw in greeting.ts, not a line of the bundle');
    assert.equal(diagnostic.message, 'Error: no greeting today: grumpy');
    assert.ok(
      diagnostic.related.every((r) => !r.file.startsWith(t.session.settings.workDir)),
      `every frame is at a source, none in the bundle: ${JSON.stringify(diagnostic.related)}`,
    );
    await eventually('v1 serves again', async () => (await httpGet(port)).body === 'hello from TypeScript');
    assert.notEqual(t.session.currentProgram?.pid, first.pid, 'v1 was started again');
  } finally {
    await t.dispose();
  }
});

test('node: an ES module service with no esbuild of its own is built with the esbuild Hot Reload installs into the cache', async () => {
  const cache = tempDir('hr-cache-');
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cache;
  const dir = copyNodeExample('node-esm');
  let t: TestSession | undefined;
  try {
    const started = await startSession(dir);
    t = started.t;
    assert.equal(started.first.outcome, 'started', started.first.message);
    assert.equal(t.session.settings.entry, path.join(dir, 'server.js'));
    assert.ok(fs.existsSync(path.join(cache, 'hotreload', 'esbuild', '0.28.2', 'node_modules', 'esbuild', 'package.json')), 'esbuild is in the cache');
    assert.match(t.session.currentProgram ? fs.readFileSync(`/proc/${t.session.currentProgram.pid}/cmdline`, 'utf8') : '', /\.mjs\0/, 'an ES module bundle');
    await eventually('v1 answers', async () => (await httpGet(started.port)).body === 'hello from an ES module');
    assert.equal((await httpGet(started.port, '/visits')).body, '1', '@hotreload/node resolves to the shipped keep()');
    setNodeGreeting(dir, 'hello, ESM reloaded');
    assert.equal((await t.report(2)).outcome, 'restarted');
    await eventually('v2 answers', async () => (await httpGet(started.port)).body === 'hello, ESM reloaded');
  } finally {
    await t?.dispose();
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test('node: a folder with both go.mod and package.json asks which; either is listed and either runs', async () => {
  const dir = copyNodeExample('node-esm');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/both\n\ngo 1.21\n');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  const ambiguous = await openSession(dir, [{}]);
  assert.equal(ambiguous.session, undefined);
  assert.match(
    ambiguous.problems.map((p) => p.message).join('\n'),
    /has both a Go module \(go\.mod\) and a Node package \(package\.json\): pick one with --language go or --language node/,
  );
  const { targets } = await listTargets(dir);
  assert.deepEqual(
    targets.map((t) => t.settings),
    [
      { language: 'go', package: '.' },
      { language: 'node', entry: 'server.js' },
    ],
  );
  const node = await openSession(dir, [{ language: 'node' }]);
  assert.ok(node.session, JSON.stringify(node.problems));
  assert.equal(node.session.settings.entry, path.join(dir, 'server.js'));
  await node.session.dispose();
});

test('node: several entries are named, with how to pick one', async () => {
  const dir = copyNodeExample('node-esm');
  writeFile(path.join(dir, 'src', 'index.ts'), 'console.log(1);\n');
  const opened = await openSession(dir, [{}]);
  assert.equal(opened.session, undefined);
  assert.match(
    opened.problems.map((p) => p.message).join('\n'),
    /found 2 entry files: src\/index\.ts \(a conventional entry name\), server\.js \(a conventional entry name\); pick one with --entry src\/index\.ts, the hotReload\.entry setting or Hot Reload: Select Target/,
  );
  const picked = await openSession(dir, [{ entry: path.join(dir, 'src', 'index.ts') }]);
  assert.ok(picked.session);
  await picked.session.dispose();
});
