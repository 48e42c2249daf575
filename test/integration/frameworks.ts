/**
 * What the real-project tests share: a session on a corpus project with its processes marked (the
 * program's and the build's, to prove nothing is left after stop), reloads under load, and a
 * syntax error that must land in Problems at its line while the running version keeps serving.
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { startSession, type TestSession } from './harness';
import type { PartialSettings, ReloadReport } from '../../src/engine';
import { httpGet } from '../support/http';
import { Load } from '../support/load';
import { killProcessesWithEnv, processesWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';

export interface ProjectSession {
  t: TestSession;
  port: number;
  first: ReloadReport;
  /** Ends the session and proves that nothing of the program or of its build is left. */
  stop(): Promise<void>;
}

/** A session on `dir` whose program and build carry marks in their environment. */
export async function startProject(dir: string, layer: PartialSettings = {}): Promise<ProjectSession> {
  const value = crypto.randomBytes(6).toString('hex');
  const program = `HR_MARK=${value}`;
  const build = `HR_MARK=build-${value}`;
  const { t, port, first } = await startSession(dir, {
    drainTimeoutMs: 3000,
    readyTimeoutMs: 20_000,
    ...layer,
    env: { HR_MARK: value, ...layer.env },
    buildEnv: { HR_MARK: `build-${value}`, ...layer.buildEnv },
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await t.dispose();
      assert.deepEqual(processesWithEnv(program), [], 'nothing of the program is left after stop');
      assert.deepEqual(processesWithEnv(build), [], 'nor of its build');
    } finally {
      killProcessesWithEnv(program);
      killProcessesWithEnv(build);
    }
  };
  return { t, port, first, stop };
}

/** The body at `path` once it is `expected` (a new version takes a moment to answer after a restart). */
export async function answers(port: number, path: string, expected: string | RegExp, timeoutMs = 30_000): Promise<string> {
  let last = '';
  return eventually(
    () => `${path} to answer ${String(expected)} (last: ${last})`,
    async () => {
      last = (await httpGet(port, path)).body;
      return (typeof expected === 'string' ? last === expected : expected.test(last)) && last;
    },
    { timeoutMs },
  );
}

/**
 * Writes a syntax error into `file` and expects the build to fail with a diagnostic at
 * `file`:`line` while `path` still answers `serving`; then restores the file, which reloads.
 */
export async function syntaxErrorLandsInProblems(
  s: ProjectSession,
  options: { file: string; broken: string; line: number; reportNumber: number; path: string; serving: string | RegExp },
): Promise<void> {
  const good = fs.readFileSync(options.file, 'utf8');
  fs.writeFileSync(options.file, options.broken);
  const failed = await s.t.report(options.reportNumber);
  assert.equal(failed.outcome, 'build-failed', failed.message);
  const diagnostic = s.t.lastDiagnostics().find((d) => d.file === options.file);
  assert.ok(diagnostic, `a diagnostic in ${options.file}: ${JSON.stringify(s.t.lastDiagnostics())}`);
  assert.equal(diagnostic.line, options.line, diagnostic.message);
  assert.equal(diagnostic.source, 'esbuild');
  await answers(s.port, options.path, options.serving, 5000);
  fs.writeFileSync(options.file, good);
  const fixed = await s.t.report(options.reportNumber + 1);
  assert.notEqual(fixed.outcome, 'build-failed', fixed.message);
  assert.deepEqual(
    s.t.lastDiagnostics().filter((d) => d.source === 'esbuild'),
    [],
  );
}

/**
 * `reloads` edits (each `edit(i)`, answered by `expected(i)` at `path`) under a steady load: each
 * reload ends in `outcome`, and no request fails.
 */
export async function reloadsUnderLoad(
  s: ProjectSession,
  options: { reloads: number; firstReport: number; outcome: ReloadReport['outcome']; path: string; edit(i: number): void; expected(i: number): string },
): Promise<void> {
  const load = new Load(s.port, { fresh: 2, keepAlive: 2, pauseMs: 10, path: options.path });
  try {
    for (let i = 1; i <= options.reloads; i++) {
      options.edit(i);
      const report = await s.t.report(options.firstReport + i - 1);
      assert.equal(report.outcome, options.outcome, `reload ${i}: ${report.message}`);
      await answers(s.port, options.path, options.expected(i), 10_000);
    }
  } finally {
    const result = await load.stop();
    console.log(`${options.outcome} ×${options.reloads}: ${result.ok} requests ok, ${result.failed} failed`);
    assert.equal(result.failed, 0, `failed requests:\n${result.errors.join('\n')}`);
    assert.ok(result.ok > options.reloads * 5, `steady load: ${result.ok} requests`);
  }
}
