/** The notification toasts the workbench shows. */
import type { Page } from './playwright';
import { eventually } from '../support/waiting';

/** Texts of the notification toasts currently shown. */
export async function notifications(page: Page): Promise<string[]> {
  const texts = await page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
  return texts.map((t) => t.trim());
}

/** Waits until a notification toast matching `match` shows; returns its text. */
export async function waitForNotification(page: Page, match: string | RegExp, timeout = 20_000): Promise<string> {
  let last: string[] = [];
  return eventually(
    () => `a notification matching ${String(match)} (shown: ${JSON.stringify(last)})`,
    async () => {
      last = await notifications(page);
      return last.find((t) => (typeof match === 'string' ? t.includes(match) : match.test(t)));
    },
    { timeoutMs: timeout, intervalMs: 250 },
  );
}
