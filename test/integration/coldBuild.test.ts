/**
 * The first start on an empty Go cache: a module to download and every package to compile. The
 * session says how far it is (downloading, compiling N of M), and stopping it during the build
 * stops the build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildProgress } from '../../src/engine';
import { coldGoModule, DEPENDENCY, serveProxy } from '../support/coldGo';
import { goAvailable, repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesWithEnv, pidsWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';
import { atomicWrite, TestSession } from './harness';

const skip = !goAvailable() && 'go is not installed';

function progressOf(t: TestSession): BuildProgress[] {
  return t.events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
}

test('a cold first build reports the module download, then N of M packages compiled, then done', { skip, timeout: 600_000 }, async () => {
  const cold = coldGoModule();
  // The dependency takes a few seconds to come, as over a network: long enough to be shown.
  const proxy = await serveProxy(cold.proxy, 3000);
  const port = await freePort();
  const t = await TestSession.open(cold.dir, { buildEnv: { ...cold.env, GOPROXY: proxy.goproxy }, env: { PORT: String(port) } });
  try {
    await t.session.start();
    const first = await t.report(1, 540_000);
    assert.equal(first.outcome, 'started', first.message);
    const progress = progressOf(t);
    const download = progress.find((p) => p.phase === 'downloading');
    assert.ok(download, `a download was reported: ${JSON.stringify(progress.slice(0, 5))}`);
    assert.match(download.message, new RegExp(`^downloading ${DEPENDENCY} v1\\.0\\.0 \\(1 module\\)$`));
    const counted = progress.filter((p) => p.phase === 'compiling' && p.total !== undefined);
    assert.ok(counted.length > 0, `the packages were counted: ${JSON.stringify(progress.slice(-5))}`);
    const last = counted.at(-1)!;
    assert.ok(last.total! > 20, `the standard library counts too (${last.total})`);
    assert.ok(last.count > 1 && last.count <= last.total!, JSON.stringify(last));
    assert.match(last.message, /^compiling \d+ of \d+ packages$/);
    const counts = progress.filter((p) => p.phase === 'compiling').map((p) => p.count);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => a - b),
      'the count only grows',
    );
    assert.deepEqual(progress.at(-1), { phase: 'done', count: last.count, total: last.total, message: 'built' });
    assert.equal((await httpGet(port, '/')).body.trim(), 'hello from a downloaded module');
    // A warm build is fast: it says nothing.
    const before = progress.length;
    const main = path.join(cold.dir, 'main.go');
    atomicWrite(main, `${fs.readFileSync(main, 'utf8')}\n// edited\n`);
    const second = await t.report(2, 120_000);
    assert.equal(second.outcome, 'restarted', second.message);
    assert.equal(progressOf(t).length, before, `a warm rebuild shows no progress: ${JSON.stringify(progressOf(t).slice(before))}`);
  } finally {
    await t.dispose();
    await proxy.close();
    cold.remove();
  }
});

test('stopping during a cold build stops the build and every go process it started', { skip, timeout: 300_000 }, async () => {
  const cold = coldGoModule();
  const t = await TestSession.open(cold.dir, { buildEnv: cold.env, env: { PORT: String(await freePort()) } });
  try {
    await t.session.start();
    await eventually('the build compiles', () => progressOf(t).some((p) => p.phase === 'compiling'), { timeoutMs: 240_000 });
    assert.ok(pidsWithEnv('GOCACHE', cold.cache).length > 0, 'go runs with the cold cache');
    await t.session.dispose();
    assert.deepEqual(pidsWithEnv('GOCACHE', cold.cache), [], 'no go, compile or list process is left');
    assert.equal(t.reports().filter((r) => r.outcome === 'started').length, 0, 'nothing started');
  } finally {
    await t.dispose();
    cold.remove();
  }
});

test('the CLI prints the same progress on stderr: the download, then N of M packages, then the reload', { skip, timeout: 600_000 }, async () => {
  const cold = coldGoModule();
  const proxy = await serveProxy(cold.proxy, 3000);
  const port = await freePort();
  const mark = `HR_COLD_CLI=${port}`;
  const cli = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), '--env', `PORT=${port}`, '--env', mark], {
    cwd: cold.dir,
    env: { ...process.env, ...cold.env, GOPROXY: proxy.goproxy },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await eventually(
      () => `the CLI's first reload (stderr: ${stderr.slice(-400)})`,
      () => /\[hotreload\] v1 started/.test(stderr),
      { timeoutMs: 540_000 },
    );
    const lines = stderr.split('\n');
    const download = lines.findIndex((l) => l === `[hotreload] downloading ${DEPENDENCY} v1.0.0 (1 module)`);
    const compiling = lines.findIndex((l) => /^\[hotreload\] compiling \d+ of \d+ packages$/.test(l));
    const started = lines.findIndex((l) => l.startsWith('[hotreload] v1 started'));
    assert.ok(download >= 0 && compiling > download && started > compiling, `download, then compiling N of M, then the report:\n${stderr}`);
    // "started" is said once the process runs; it listens a moment later.
    const answer = await eventually('the program answers', () => httpGet(port, '/'), { timeoutMs: 30_000 });
    assert.equal(answer.body.trim(), 'hello from a downloaded module');
  } finally {
    cli.kill('SIGTERM');
    await new Promise((resolve) => cli.once('exit', resolve));
    killProcessesWithEnv(mark);
    await proxy.close();
    cold.remove();
  }
});

test("a failed build says go's error, not -v's package lines", { skip, timeout: 300_000 }, async () => {
  const cold = coldGoModule();
  // A link error: go names no file and line, so the message is go's first lines.
  fs.writeFileSync(path.join(cold.dir, 'main.go'), 'package main\n\nfunc helper() {}\n');
  const t = await TestSession.open(cold.dir, { package: '.', buildEnv: cold.env });
  try {
    await t.session.start();
    const report = await t.report(1, 240_000);
    assert.equal(report.outcome, 'build-failed');
    assert.match(report.message ?? '', /^build failed: # example\.com\/app\b.*function main is undeclared in the main package/s);
  } finally {
    await t.dispose();
    cold.remove();
  }
});
