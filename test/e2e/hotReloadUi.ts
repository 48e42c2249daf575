/**
 * What the Hot Reload end-to-end suites share: where things are, the Go
 * environment the workbench needs, the packaged .vsix, observing the program
 * over HTTP and /proc, and reading and clicking the extension's status bar item.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { e2eDir, pidsWithCmdline, screenshot, waitFor, type Page, type VSCodeHandle } from './codeServer';
import { defaultWorkDir } from '../../src/engine/settings/workDir';

export const repoRoot = path.resolve(e2eDir, '..', '..');
export const vsixPath = path.join(repoRoot, 'hot-reload.vsix');
export const artifacts = path.resolve(process.env.HOTRELOAD_E2E_ARTIFACTS ?? path.join(repoRoot, 'test-results', 'e2e'));
export const screenshotsDir = path.join(artifacts, 'screenshots');

/** The status bar item the extension creates with id 'hotReload.status' (publisher.name.id in the DOM). */
export const STATUS_ID = 'hot-reload.hot-reload.hotReload.status';
export const STATUS = `.part.statusbar [id="${STATUS_ID}"]`;

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

export function removeWorkspace(ws: string): void {
  fs.rmSync(path.dirname(ws), { recursive: true, force: true });
}

/** GET http://127.0.0.1:<port><path> without keep-alive: the body, or the error code (ECONNREFUSED …). */
export function get(port: number, urlPath: string, timeoutMs = 3000): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

/** Waits until GET `urlPath` answers 200 with a body satisfying `ok`; returns the trimmed body. */
export async function waitForAnswer(port: number, urlPath: string, ok: (body: string) => boolean, timeout: number, what: string): Promise<string> {
  let last: unknown;
  return waitFor(
    async () => {
      const r = await get(port, urlPath);
      last = r;
      return 'body' in r && r.status === 200 && ok(r.body.trim()) ? r.body.trim() : undefined;
    },
    { timeout, interval: 150, message: () => `${what} on :${port}${urlPath} (last: ${JSON.stringify(last)})` },
  );
}

/**
 * The engine's build dir of `ws`, as it appears in the program's command line: the work dir is in
 * the cache directory code-server runs with, named after the folder and a hash of its real path.
 */
export function buildsDirOf(ws: string): string {
  return `/hotreload/projects/${path.basename(defaultWorkDir(ws))}/builds/`;
}

/** Live processes started from the engine's build dir of `ws` (the program's binaries). */
export function programPids(ws: string): number[] {
  return pidsWithCmdline(buildsDirOf(ws));
}

/** The Hot Reload status bar item: its text (codicons render as empty spans) and its codicon names. */
export async function statusItem(page: Page): Promise<{ text: string; icons: string[]; aria: string } | undefined> {
  return page.evaluate(`(() => {
    const el = document.getElementById(${JSON.stringify(STATUS_ID)});
    if (!el) return undefined;
    const a = el.querySelector('a, .statusbar-item-label');
    const icons = Array.from(el.querySelectorAll('.codicon')).map((i) => Array.from(i.classList).find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin')).filter(Boolean).map((c) => c.slice(8));
    return { text: (el.innerText || '').replace(/\\s+/g, ' ').trim(), icons, aria: (a && a.getAttribute('aria-label')) || '' };
  })()`);
}

export async function waitForStatus(page: Page, ok: (s: { text: string; icons: string[] }) => boolean, timeout: number, what: string) {
  let last: unknown;
  return waitFor(
    async () => {
      const s = await statusItem(page);
      last = s;
      return s && ok(s) ? s : undefined;
    },
    { timeout, interval: 150, message: () => `the Hot Reload status bar item to show ${what} (last: ${JSON.stringify(last)})` },
  );
}

export async function clickStatusItem(page: Page): Promise<void> {
  await page.locator(`${STATUS} a, ${STATUS} .statusbar-item-label`).first().click({ timeout: 10_000 });
  await page.mouse.move(150, 600); // off the item: its hover (a tooltip with links) would cover the terminal
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
