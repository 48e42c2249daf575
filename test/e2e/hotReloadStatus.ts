/** The Hot Reload status bar item: reading its text and icons, waiting for a state, clicking it. */
import type { Page } from './playwright';
import { eventually } from '../support/waiting';

/** The status bar item the extension creates with id 'hotReload.status' (publisher.name.id in the DOM). */
export const STATUS_ID = 'hot-reload.hot-reload.hotReload.status';
export const STATUS = `.part.statusbar [id="${STATUS_ID}"]`;

export interface StatusItem {
  text: string;
  icons: string[];
  aria: string;
}

/** Off: "Hot Reload" with the start icon. */
export const isOff = (s: StatusItem) => s.icons.includes('debug-start') && s.text === 'Hot Reload';
/** Running: the zap icon, the version and what its last reload was. */
export const isRunning = (s: StatusItem) => s.icons.includes('zap') && /^v\d+ · /.test(s.text);

/** The Hot Reload status bar item: its text (codicons render as empty spans) and its codicon names. */
export async function statusItem(page: Page): Promise<StatusItem | undefined> {
  return page.evaluate(`(() => {
    const el = document.getElementById(${JSON.stringify(STATUS_ID)});
    if (!el) return undefined;
    const a = el.querySelector('a, .statusbar-item-label');
    const icons = Array.from(el.querySelectorAll('.codicon')).map((i) => Array.from(i.classList).find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin')).filter(Boolean).map((c) => c.slice(8));
    return { text: (el.innerText || '').replace(/\\s+/g, ' ').trim(), icons, aria: (a && a.getAttribute('aria-label')) || '' };
  })()`);
}

export async function waitForStatus(page: Page, ok: (s: StatusItem) => boolean, timeout: number, what: string): Promise<StatusItem> {
  let last: unknown;
  return eventually(
    () => `the Hot Reload status bar item to show ${what} (last: ${JSON.stringify(last)})`,
    async () => {
      const s = await statusItem(page);
      last = s;
      return s && ok(s) ? s : undefined;
    },
    { timeoutMs: timeout, intervalMs: 150 },
  );
}

export async function clickStatusItem(page: Page): Promise<void> {
  await page.locator(`${STATUS} a, ${STATUS} .statusbar-item-label`).first().click({ timeout: 10_000 });
  await page.mouse.move(150, 600); // off the item: its hover (a tooltip with links) would cover the terminal
}
