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
import { e2eSkip, freePort, launchVSCode, openFile, requireE2eTooling, runCommand, save, screenshot, typeInEditor, waitFor, type Page } from './codeServer';
import {
  clearScreenshots,
  clickStatusItem,
  ensureVsix,
  goEnv,
  keepEvidence,
  removeWorkspace,
  repoRoot,
  screenshotsDir,
  STATUS,
  waitForStatus,
} from './hotReloadUi';

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
      const tab = await waitFor(() => opened[0], { timeout: 15_000, message: 'a browser tab' });
      console.log(`# Open in Browser opened ${tab.url()}`);
      await waitFor(async () => (await greetingOf(tab).catch(() => null)) === 'Hello from html/template', {
        timeout: 20_000,
        message: () => `the page in the new tab (at ${tab.url()})`,
      });
      // The engine's proxy, not the program's own port: directly, or (code-server) through its port proxy.
      const opened1 = new URL(tab.url());
      assert.ok(opened1.port === String(browserPort) || opened1.pathname.startsWith(`/proxy/${browserPort}/`), tab.url());
      assert.equal(await tab.evaluate('window.__hotreload'), true, 'the page runs the injected script');
      await screenshot(tab, 'browser-01-open-in-browser');

      // Open in Simple Browser: the same page in a webview, in an editor tab.
      await runCommand(page, 'Hot Reload: Open in Simple Browser');
      const frames = () => (page as unknown as { frames(): Frame[] }).frames();
      const isPage = (url: string) => url.startsWith(`http://localhost:${browserPort}/`) || url.includes(`/proxy/${browserPort}/`);
      const simple = await waitFor(() => frames().find((f) => isPage(f.url())), {
        timeout: 20_000,
        message: () =>
          `the Simple Browser's frame (frames: ${frames()
            .map((f) => f.url().slice(0, 80))
            .join(', ')})`,
      });
      await waitFor(async () => (await greetingOf(simple).catch(() => null)) === 'Hello from html/template', {
        timeout: 20_000,
        message: 'the page in the Simple Browser',
      });
      await screenshot(page, 'browser-02-simple-browser');

      // An edit typed and saved in the editor: both pages follow, nobody reloads them.
      await openFile(page, 'greeting.go');
      await typeInEditor(page, 'package main\n\nfunc greeting() string {\nreturn "Saved in VS Code"\n}\n', { selectAll: true });
      await save(page);
      await waitFor(async () => (await greetingOf(tab).catch(() => null)) === 'Saved in VS Code', {
        timeout: 30_000,
        message: 'the new text in the browser tab',
      });
      await waitFor(async () => (await greetingOf(simple).catch(() => null)) === 'Saved in VS Code', {
        timeout: 30_000,
        message: 'the new text in the Simple Browser',
      });
      await screenshot(tab, 'browser-03-after-save');

      // The status bar item's tooltip links the page too.
      await page.locator(`${STATUS} a, ${STATUS} .statusbar-item-label`).first().hover();
      const link = page.locator('.workbench-hover a, .monaco-hover a', { hasText: 'Open in Browser' }).first();
      await link.waitFor({ state: 'visible', timeout: 15_000 });
      await link.click();
      const second = await waitFor(() => opened[1], { timeout: 15_000, message: 'a tab opened from the tooltip' });
      await waitFor(async () => (await greetingOf(second).catch(() => null)) === 'Saved in VS Code', {
        timeout: 20_000,
        message: 'the page opened from the tooltip',
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
