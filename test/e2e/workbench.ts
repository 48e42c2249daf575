/** The workbench as a whole: when it is laid out, text anywhere in it, and screenshots of it. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from './playwright';

/** Waits until the workbench is laid out: the status bar, the activity bar and the editor area are visible. */
export async function waitForWorkbench(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { state: 'visible', timeout });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { state: 'visible', timeout });
  await page.waitForSelector('.monaco-workbench .part.editor', { state: 'visible', timeout });
  // The explorer (or any view) has rendered once the extension host side is up enough to answer.
  await page.waitForSelector('.monaco-workbench .part.sidebar, .monaco-workbench .part.activitybar', { state: 'visible', timeout });
}

/** Waits until `text` is visible somewhere in the workbench. */
export async function waitForText(page: Page, text: string | RegExp, timeout = 20_000): Promise<void> {
  await page
    .getByText(text)
    .first()
    .waitFor({ state: 'visible', timeout })
    .catch(() => {
      throw new Error(`timed out after ${timeout} ms waiting for text ${String(text)}`);
    });
}

/** Screenshots dir of each page launchVSCode opened, so `screenshot(page, name)` needs no dir. */
const screenshotsDirOf = new WeakMap<Page, string>();

/** Where `screenshot(page, …)` saves the screenshots of `page`. */
export function keepScreenshotsIn(page: Page, dir: string): void {
  screenshotsDirOf.set(page, dir);
}

/** Saves a PNG of the page as <screenshotsDir>/<name>.png (the dir given to launchVSCode) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = screenshotsDirOf.get(page) ?? path.join(os.tmpdir(), 'hotreload-e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}
