/**
 * What the Hot Reload end-to-end suites share: the packaged .vsix, the Go environment the
 * workbench needs, a workspace with a program to run, one launch of the workbench per test with
 * its evidence kept on failure, and observing the program over HTTP and /proc.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchVSCode, type VSCodeHandle } from './codeServer';
import { isOff, waitForStatus } from './hotReloadStatus';
import type { Page } from './playwright';
import { artifacts, e2eSkip, requireE2eTooling } from './tooling';
import { screenshot } from './workbench';
import { copyExample, repoRoot } from '../support/examples';
import { tempDir, writeFile } from '../support/files';
import { httpGetOrError } from '../support/http';
import { freePort } from '../support/ports';
import { pidsWithCmdline } from '../support/processes';
import { eventually } from '../support/waiting';
import { defaultWorkDir } from '../../src/engine/settings/workDir';

export const vsixPath = path.join(repoRoot, 'hot-reload.vsix');
export const screenshotsDir = path.join(artifacts, 'screenshots');

/** Go's own settings (GOCACHE, the go env file) as the test process sees them: launchVSCode moves XDG_* dirs, which would hide both. */
export function goEnv(): Record<string, string> | undefined {
  try {
    const out = execFileSync('go', ['env', '-json', 'GOCACHE', 'GOENV', 'GOMODCACHE', 'GOPATH'], { encoding: 'utf8', timeout: 30_000 });
    const env = JSON.parse(out) as Record<string, string>;
    return Object.fromEntries(Object.entries(env).filter(([, v]) => v));
  } catch {
    return undefined;
  }
}

const go = goEnv();
const goMissing = go ? [] : ['the Go toolchain (`go` on PATH)'];

/** The `skip` option of a Hot Reload end-to-end test: why it cannot run here (the e2e tooling or Go is missing), or false. */
export const skip = e2eSkip(goMissing);

/** Packs the extension (npm run package) when hot-reload.vsix is not there, so `node --test` alone works. */
export function ensureVsix(): string {
  if (!fs.existsSync(vsixPath)) {
    const t0 = Date.now();
    console.log(`# ${vsixPath} missing: npm run package`);
    try {
      execFileSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'pipe', encoding: 'utf8', timeout: 180_000 });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`npm run package failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`, { cause: e });
    }
    console.log(`# packaged in ${Date.now() - t0} ms`);
  }
  assert.ok(fs.existsSync(vsixPath), `npm run package did not write ${vsixPath}`);
  return vsixPath;
}

/**
 * <tmp>/<name> (so the folder, and its terminal, are named `name`): a copy of examples/<example>,
 * or a Go module of `files`; its .vscode/settings.json gives the program `port` as PORT.
 */
export function makeWorkspace(name: string, port: number, content: { example: string } | { files: Record<string, string> }): string {
  const ws = path.join(tempDir('hre2e-ws-'), name);
  if ('example' in content) copyExample(content.example, ws);
  else for (const [rel, text] of Object.entries({ 'go.mod': `module example.com/${name}\n\ngo 1.19\n`, ...content.files })) writeFile(path.join(ws, rel), text);
  writeFile(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'hotReload.env': { PORT: String(port) } }, null, 2));
  return ws;
}

export function removeWorkspace(ws: string): void {
  fs.rmSync(path.dirname(ws), { recursive: true, force: true });
}

/** Waits until GET `urlPath` answers 200 with a body satisfying `ok`; returns the body. `what` names it in the error after `timeoutMs`. */
export async function waitForAnswer(
  port: number,
  urlPath: string,
  ok: (body: string) => boolean,
  { what, timeoutMs }: { what: string; timeoutMs: number },
): Promise<string> {
  let last: unknown;
  return eventually(
    () => `${what} on :${port}${urlPath} (last: ${JSON.stringify(last)})`,
    async () => {
      const r = await httpGetOrError(port, urlPath, 3000);
      last = r;
      return 'body' in r && r.status === 200 && ok(r.body) ? r.body : undefined;
    },
    { timeoutMs, intervalMs: 150 },
  );
}

/**
 * The engine's build dir of `ws`, as it appears in the program's command line: the work dir is in
 * the cache directory code-server runs with, named after the folder and a hash of its real path.
 */
export function buildsDirOf(ws: string): string {
  return `/hotreload/projects/${path.basename(defaultWorkDir(ws))}/builds/`;
}

/** Live processes running a binary from the engine's build dir of `ws` (the program, not the supervisor's reaper that names it). */
export function programPids(ws: string): number[] {
  return pidsWithCmdline(buildsDirOf(ws)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].includes(buildsDirOf(ws));
    } catch {
      return false;
    }
  });
}

/** On failure: a screenshot and the extension's logs (the "Hot Reload" channel, the engine's trace) next to the screenshots. */
export async function keepEvidence(vs: VSCodeHandle, name: string): Promise<void> {
  await screenshot(vs.page, `${name}-failure`).catch(() => undefined);
  try {
    const dest = path.join(screenshotsDir, `${name}-logs`);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.cpSync(path.join(vs.userDataDir, 'logs'), dest, { recursive: true });
    console.log(`# logs kept in ${dest}`);
  } catch {
    // no logs yet
  }
}

export function clearScreenshots(prefix: string): void {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  for (const f of fs.readdirSync(screenshotsDir)) {
    if (f.startsWith(prefix)) fs.rmSync(path.join(screenshotsDir, f), { recursive: true, force: true });
  }
}

export interface WorkbenchRun {
  vs: VSCodeHandle;
  page: Page;
  ws: string;
  /** The port the program is given as PORT. */
  port: number;
  /** A screenshot named `<prefix>-<name>`, the mouse moved off anything with a hover first. */
  shot: (name: string) => Promise<string>;
  /** Logs a step with the time since the launch. */
  step: (what: string) => void;
}

/**
 * One test's workbench: launches it with the packaged extension on the workspace `workspace(port)`
 * makes, its program's port free, and (unless Workspace Trust is on) Hot Reload off; runs `body`;
 * always closes it, keeping a screenshot and the logs when `body` fails. Then checks that neither
 * the program nor anything the launch started outlives the editor. Screenshots: `<prefix>-*.png`.
 */
export async function withWorkbench(
  t: { diagnostic(message: string): void },
  options: {
    prefix: string;
    workspace: (port: number) => string;
    workspaceTrust?: boolean;
    viewport?: { width: number; height: number };
    /** More for code-server's environment (and so the engine's), over Go's. */
    env?: Record<string, string>;
    /** Extensions installed beside Hot Reload. */
    extraVsix?: string[];
  },
  body: (run: WorkbenchRun) => Promise<void>,
): Promise<void> {
  const { prefix } = options;
  requireE2eTooling(goMissing);
  const vsix = ensureVsix();
  clearScreenshots(`${prefix}-`);
  const port = await freePort();
  const ws = options.workspace(port);
  const t0 = Date.now();
  const step = (what: string) => console.log(`# [${prefix}] +${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
  const vs = await launchVSCode({
    workspace: ws,
    vsix: [vsix, ...(options.extraVsix ?? [])],
    screenshotsDir,
    env: { ...go, ...options.env },
    workspaceTrust: options.workspaceTrust,
    viewport: options.viewport,
  });
  const { page } = vs;
  const shot = async (name: string) => {
    await page.mouse.move(150, 600); // the empty explorer: no hover tooltip over what the screenshot shows
    await page.waitForTimeout(300);
    return screenshot(page, `${prefix}-${name}`);
  };
  let left: number[] | undefined;
  try {
    step(`workbench ready on :${vs.port}; program port ${port}`);
    assert.ok('error' in (await httpGetOrError(port, '/', 3000)), `something already answers on ${port}`);
    if (!options.workspaceTrust) await waitForStatus(page, isOff, 30_000, 'off ("Hot Reload" with the start icon)');
    await body({ vs, page, ws, port, shot, step });
  } catch (e) {
    await keepEvidence(vs, prefix);
    throw e;
  } finally {
    await vs.close();
    left = programPids(ws);
    removeWorkspace(ws);
  }
  assert.deepEqual(left, [], 'program processes left after closing the editor');
  assert.deepEqual(vs.livePids(), [], 'processes carrying the run marker left');
  t.diagnostic(`took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
