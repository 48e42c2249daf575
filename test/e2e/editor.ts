/** The text editor: opening a file, typing into it, saving, and the file on disk after. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from './playwright';
import { exactText, pickRow, QUICK_INPUT, runCommand } from './quickInput';
import { eventually } from '../support/waiting';

/** Opens a workspace file by its relative path through Quick Open (Ctrl+P, reached from the palette by dropping the '>'). */
export async function openFile(page: Page, relativePath: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 20_000;
  const base = path.posix.basename(relativePath.replace(/\\/g, '/'));
  const dir = path.posix.dirname(relativePath.replace(/\\/g, '/'));
  await pickRow(
    page,
    {
      text: relativePath,
      choose: (rows) => {
        const named = rows.filter({ has: page.locator('.label-name', { hasText: exactText(base) }) });
        return dir === '.' ? named.first() : named.filter({ hasText: dir }).first();
      },
      notFound: `quick open found no "${relativePath}"`,
    },
    timeout,
  );
  await page
    .locator(QUICK_INPUT)
    .waitFor({ state: 'hidden', timeout })
    .catch(() => undefined);
  await waitForActiveEditor(page, base, timeout);
}

/** Waits until the active editor tab is `fileName` and its text area is ready. */
export async function waitForActiveEditor(page: Page, fileName: string, timeout = 20_000): Promise<void> {
  await page
    .locator('.part.editor .tabs-container .tab.active', { hasText: fileName })
    .first()
    .waitFor({ state: 'visible', timeout })
    .catch(() => {
      throw new Error(`timed out after ${timeout} ms waiting for the active editor to be ${fileName}`);
    });
  await page.locator('.part.editor .editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout });
}

/** Focuses the active text editor (clicks its text) and types `text` key by key. */
export async function typeInEditor(
  page: Page,
  text: string,
  opts: { at?: 'end' | 'start' | 'keep'; selectAll?: boolean; delay?: number; timeout?: number } = {},
): Promise<void> {
  const timeout = opts.timeout ?? 10_000;
  const lines = page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines').first();
  await lines.click({ timeout });
  await page.locator('.part.editor .editor-group-container.active .monaco-editor.focused').first().waitFor({ state: 'visible', timeout });
  if (opts.selectAll) await page.keyboard.press('Control+A');
  else if (opts.at === 'end' || opts.at === undefined) await page.keyboard.press('Control+End');
  else if (opts.at === 'start') await page.keyboard.press('Control+Home');
  // Newlines as Enter presses; everything else as typed characters.
  const parts = text.split('\n');
  for (let i = 0; i < parts.length; i++) {
    if (parts[i]) await page.keyboard.type(parts[i], { delay: opts.delay ?? 0 });
    if (i < parts.length - 1) await page.keyboard.press('Enter');
  }
}

/** Saves the active editor with Ctrl+S and waits until its tab is no longer dirty. */
export async function save(page: Page, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 10_000;
  await page.keyboard.press('Control+S');
  const dirty = page.locator('.part.editor .editor-group-container.active .tab.active.dirty');
  try {
    await dirty.waitFor({ state: 'hidden', timeout });
  } catch {
    // Key swallowed? Use the command.
    await runCommand(page, 'File: Save', { timeout });
    await dirty.waitFor({ state: 'hidden', timeout });
  }
}

/** Waits until a file on disk satisfies `predicate` (e.g. after a save); returns its content. */
export async function waitForFileContent(file: string, predicate: (content: string) => boolean, timeout = 10_000): Promise<string> {
  let last: string | undefined;
  return eventually(
    () => `${file} to have the expected content (last: ${JSON.stringify(last?.slice(0, 200))})`,
    () => {
      try {
        last = fs.readFileSync(file, 'utf8');
      } catch {
        last = undefined;
        return undefined;
      }
      return predicate(last) ? last : undefined;
    },
    { timeoutMs: timeout, intervalMs: 100 },
  );
}
