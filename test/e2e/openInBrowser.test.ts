/**
 * End to end in the real workbench (code-server in headless Chromium, the packaged .vsix): browser
 * reload turned on by its VS Code setting, the page opened with "Hot Reload: Open in Browser" (a new
 * browser tab) and "Open in Simple Browser" (a webview in the editor), and an edit typed and saved
 * in the editor showing in both pages with no reload by hand.
 *
 *   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/e2e/openInBrowser.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchVSCode } from './codeServer';
import { clickStatusItem, STATUS, waitForStatus } from './hotReloadStatus';
import { repoRoot } from '../support/examples';
import { openFile, save, typeInEditor } from './editor';
import type { Page } from './playwright';
import { runCommand } from './quickInput';
import { e2eSkip, requireE2eTooling } from './tooling';
import { screenshot } from './workbench';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';
import { clearScreenshots, ensureVsix, goEnv, keepEvidence, removeWorkspace, screenshotsDir } from './hotReloadUi';

const go = goEnv();
const extraMissing = go ? [] : ['the Go toolchain (`go` on PATH)'];
const skip = e2eSkip(extraMissing);

/** examples/web as <tmp>/web with the folder's settings. */
function copyWeb(settings: Record<string, unknown>): string {
  const ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hre2e-ws-')), 'web');
  fs.cpSync(path.join(repoRoot, 'examples', 'web'), ws, { recursive: true, filter: (src) => !/[\\/]\.hotreload([\\/]|$)/.test(src) });
  fs.mkdirSync(path.join(ws, '.vscode'));
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return ws;
}

interface Frame {
  url(): string;
  evaluate<R>(expression: string): Promise<R>;
}

const greetingOf = (target: Page | Frame) => target.evaluate<string | null>(`document.getElementById('greeting')?.textContent ?? null`);

test(
  'browser reload from VS Code: the setting, Open in Browser, Open in Simple Browser, and a saved edit in both pages',
  { skip, timeout: 300_000 },
  async () => {
    requireE2eTooling(extraMissing);
    const vsix = ensureVsix();
    clearScreenshots('browser-');
    const [port, browserPort] = [await freePort(), await freePort()];
    const ws = copyWeb({ 'hotReload.browserReload': true, 'hotReload.browserPort': browserPort, 'hotReload.env': { PORT: String(port) } });
    const vs = await launchVSCode({ workspace: ws, vsix, screenshotsDir, env: go });
    const { page } = vs;
    const opened: Page[] = [];
    vs.context.on('page', (p) => opened.push(p));
    try {
      await waitForStatus(page, (s) => s.icons.includes('debug-start'), 30_000, 'off');
      await clickStatusItem(page);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 60_000, 'running v1');

      // Open in Browser: a new tab at the engine's page address, the script in it.
      await runCommand(page, 'Hot Reload: Open in Browser');
      const tab = await eventually('a browser tab', () => opened[0], { timeoutMs: 15_000 });
      console.log(`# Open in Browser opened ${tab.url()}`);
      await eventually(
        () => `the page in the new tab (at ${tab.url()})`,
        async () => (await greetingOf(tab).catch(() => null)) === 'Hello from html/template',
        { timeoutMs: 20_000 },
      );
      // The engine's proxy, not the program's own port: directly, or (code-server) through its port proxy.
      const opened1 = new URL(tab.url());
      assert.ok(opened1.port === String(browserPort) || opened1.pathname.startsWith(`/proxy/${browserPort}/`), tab.url());
      // The text is there once the HTML is parsed; the injected script runs a moment later, on a loaded machine later still.
      await eventually('the page runs the injected script', async () => (await tab.evaluate('window.__hotreload').catch(() => undefined)) === true, {
        timeoutMs: 15_000,
      });
      await screenshot(tab, 'browser-01-open-in-browser');

      // Open in Simple Browser: the same page in a webview, in an editor tab.
      await runCommand(page, 'Hot Reload: Open in Simple Browser');
      const frames = () => (page as unknown as { frames(): Frame[] }).frames();
      const isPage = (url: string) => url.startsWith(`http://localhost:${browserPort}/`) || url.includes(`/proxy/${browserPort}/`);
      const simple = await eventually(
        () =>
          `the Simple Browser's frame (frames: ${frames()
            .map((f) => f.url().slice(0, 80))
            .join(', ')})`,
        () => frames().find((f) => isPage(f.url())),
        { timeoutMs: 20_000 },
      );
      await eventually('the page in the Simple Browser', async () => (await greetingOf(simple).catch(() => null)) === 'Hello from html/template', {
        timeoutMs: 20_000,
      });
      await screenshot(page, 'browser-02-simple-browser');

      // An edit typed and saved in the editor: both pages follow, nobody reloads them.
      await openFile(page, 'greeting.go');
      await typeInEditor(page, 'package main\n\nfunc greeting() string {\nreturn "Saved in VS Code"\n}\n', { selectAll: true });
      await save(page);
      await eventually('the new text in the browser tab', async () => (await greetingOf(tab).catch(() => null)) === 'Saved in VS Code', { timeoutMs: 30_000 });
      await eventually('the new text in the Simple Browser', async () => (await greetingOf(simple).catch(() => null)) === 'Saved in VS Code', {
        timeoutMs: 30_000,
      });
      await screenshot(tab, 'browser-03-after-save');

      // The status bar item's tooltip links the page too.
      await page.locator(`${STATUS} a, ${STATUS} .statusbar-item-label`).first().hover();
      const link = page.locator('.workbench-hover a, .monaco-hover a', { hasText: 'Open in Browser' }).first();
      await link.waitFor({ state: 'visible', timeout: 15_000 });
      await link.click();
      const second = await eventually('a tab opened from the tooltip', () => opened[1], { timeoutMs: 15_000 });
      await eventually('the page opened from the tooltip', async () => (await greetingOf(second).catch(() => null)) === 'Saved in VS Code', {
        timeoutMs: 20_000,
      });
    } catch (err) {
      await keepEvidence(vs, 'browser');
      throw err;
    } finally {
      await vs.close();
      removeWorkspace(ws);
    }
  },
);
