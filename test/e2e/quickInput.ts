/**
 * The quick input of the workbench: the command palette, Quick Open, and the quick picks commands
 * open. Every wait has an explicit timeout and says what it last saw.
 */
import type { Locator, Page } from './playwright';
import { eventually } from '../support/waiting';

export const QUICK_INPUT = '.quick-input-widget';
export const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';
export const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Opens the quick input (F1 = command palette; falls back to Ctrl+Shift+P) and returns once its input is focused. */
export async function openQuickInput(page: Page, timeout: number): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  const box = page.locator(QUICK_INPUT_BOX);
  // A quick input still open (or still fading out after a pick) must not be
  // mistaken for the new one: close it first.
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
  }
  const keys = ['F1', 'Control+Shift+P'];
  const deadline = Date.now() + timeout;
  for (let i = 0; Date.now() < deadline; i++) {
    await page.keyboard.press(keys[i % keys.length]);
    try {
      await box.waitFor({ state: 'visible', timeout: Math.min(3000, Math.max(500, deadline - Date.now())) });
      return;
    } catch {
      // Focus may be somewhere that swallowed the key (e.g. a webview): click the status bar and retry.
      await page.keyboard.press('Escape').catch(() => undefined);
      await page
        .locator('.monaco-workbench .part.statusbar')
        .click({ position: { x: 5, y: 5 }, timeout: 2000 })
        .catch(() => undefined);
    }
  }
  throw new Error(`timed out after ${timeout} ms opening the command palette`);
}

/** Text of the quick-pick rows currently shown. */
export async function quickPickItems(page: Page): Promise<string[]> {
  const rows = page.locator(`${QUICK_ROWS} .quick-input-list-rows .label-name, ${QUICK_ROWS} .monaco-icon-label .label-name`);
  const texts = await rows.allInnerTexts();
  return texts.map((t) => t.trim()).filter(Boolean);
}

/**
 * Runs a command by its palette title, e.g. `runCommand(page, 'Hot Reload: Start')`.
 * Types the title into the command palette, waits for a row whose label is
 * exactly that title (so a different command is never run) and picks it.
 */
export async function runCommand(page: Page, title: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 20_000;
  await clickPaletteCommand(page, title, timeout);
  await page
    .locator(QUICK_INPUT)
    .waitFor({ state: 'hidden', timeout })
    .catch(() => undefined);
}

/** Opens the palette, waits for the row whose label is exactly `title`, and clicks it. */
async function clickPaletteCommand(page: Page, title: string, timeout: number): Promise<void> {
  await pickRow(
    page,
    {
      text: `>${title}`,
      choose: (rows) => rows.filter({ has: page.locator('.label-name', { hasText: exactText(title) }) }).first(),
      notFound: `command "${title}" not found in the palette`,
    },
    timeout,
  );
}

/**
 * Opens the quick input, types `text` into its box, waits for the row `choose` picks among the
 * rows shown, and clicks it. When none shows in time: Escape, and an error saying `notFound` and
 * what the rows were.
 */
export async function pickRow(
  page: Page,
  { text, choose, notFound }: { text: string; choose: (rows: Locator) => Locator; notFound: string },
  timeout: number,
): Promise<void> {
  // The quick input can close between opening and typing (focus taken by an editor opening, say):
  // open it again rather than wait out the whole timeout on an input that is gone.
  const deadline = Date.now() + timeout;
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, Math.max(1000, deadline - Date.now()));
    try {
      await page.locator(QUICK_INPUT_BOX).fill(text, { timeout: Math.min(5000, Math.max(1000, deadline - Date.now())) });
      break;
    } catch (err) {
      if (attempt >= 3 || Date.now() >= deadline) throw err;
    }
  }
  const row = choose(page.locator(QUICK_ROWS));
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch {
    const seen = await quickPickItems(page).catch(() => []);
    await page.keyboard.press('Escape').catch(() => undefined);
    throw new Error(`${notFound} within ${timeout} ms; it showed: ${JSON.stringify(seen.slice(0, 10))}`);
  }
  await row.click({ timeout });
}

export function exactText(s: string): RegExp {
  return new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The title of the quick input shown (e.g. `showQuickPick({ title })`), or undefined when no quick input is shown. */
export async function quickInputTitle(page: Page): Promise<string | undefined> {
  if (!(await page.locator(QUICK_INPUT).isVisible())) return undefined;
  const title = page.locator(`${QUICK_INPUT} .quick-input-title`).first();
  return ((await title.isVisible()) ? await title.innerText({ timeout: 2000 }) : '').replace(/\s+/g, ' ').trim();
}

/** Waits until a quick input whose title matches `title` shows rows; returns their labels. */
export async function waitForQuickPick(page: Page, title: string | RegExp, timeout = 20_000): Promise<string[]> {
  let last: { title?: string; items: string[] } = { items: [] };
  const ok = (t: string) => (typeof title === 'string' ? t.includes(title) : title.test(t));
  return eventually(
    () => `a quick pick titled ${String(title)} (last: ${JSON.stringify(last)})`,
    async () => {
      const t = await quickInputTitle(page);
      last = { title: t, items: t === undefined ? [] : await quickPickItems(page) };
      return t !== undefined && ok(t) && last.items.length > 0 ? last.items : undefined;
    },
    { timeoutMs: timeout, intervalMs: 100 },
  );
}

/**
 * In the quick pick shown, types `label` into its box (as a user filters the list), waits until
 * the focused row's label is exactly `label` and presses Enter; waits for the quick input to close.
 */
export async function pickQuickPickItem(page: Page, label: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 10_000;
  const box = page.locator(QUICK_INPUT_BOX);
  await box.waitFor({ state: 'visible', timeout });
  const focused = await page.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(QUICK_INPUT_BOX)})`);
  if (!focused) await box.click({ timeout });
  await page.keyboard.type(label);
  const focusedRow = page.locator(`${QUICK_ROWS}.focused .label-name`).first();
  let seen = '';
  let rows: string[] = [];
  await eventually(
    () => `the focused quick pick row to be "${label}" (it is ${JSON.stringify(seen)}; rows ${JSON.stringify(rows)})`,
    async () => {
      seen = ((await focusedRow.isVisible()) ? await focusedRow.innerText({ timeout: 1000 }) : '').trim();
      rows = await quickPickItems(page);
      return seen === label;
    },
    { timeoutMs: timeout, intervalMs: 100 },
  );
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout });
}

/**
 * Runs a command by its palette title when the command opens a quick pick of its own (a "Select …"
 * command): returns that quick pick's row labels once a quick input titled `pickTitle` shows.
 * (runCommand waits for the palette to close, which it never does here: the widget is reused.)
 */
export async function runCommandToQuickPick(page: Page, title: string, pickTitle: string | RegExp, opts: { timeout?: number } = {}): Promise<string[]> {
  const timeout = opts.timeout ?? 20_000;
  await clickPaletteCommand(page, title, timeout);
  return waitForQuickPick(page, pickTitle, timeout);
}
