/** The status bar: every item's id, text and label, read from the page. */
import type { Page } from './playwright';
import { eventually } from '../support/waiting';

export interface StatusBarItem {
  id: string;
  text: string;
  ariaLabel: string;
  tooltip: string | null;
}

/** All status bar items, read in one pass (id of the DOM element, visible text with whitespace collapsed, aria label). */
export async function statusBarItems(page: Page): Promise<StatusBarItem[]> {
  return page.evaluate<StatusBarItem[]>(`(() => {
    const norm = (t) => (t || '').replace(/\\s+/g, ' ').trim();
    return Array.from(document.querySelectorAll('.part.statusbar .statusbar-item')).map((el) => {
      const a = el.querySelector('a, .statusbar-item-label');
      return {
        id: el.id || '',
        text: norm(el.innerText),
        ariaLabel: (a && a.getAttribute('aria-label')) || el.getAttribute('aria-label') || '',
        tooltip: el.getAttribute('title') || (a && a.getAttribute('title')) || null,
      };
    });
  })()`);
}

/**
 * Text of the status bar item whose element id is `idOrText`
 * (`<publisher>.<extension>.<itemId>` for createStatusBarItem(id, ...), or e.g. 'status.problems'),
 * or whose text contains `idOrText`. Undefined when there is none.
 */
export async function readStatusBarItem(page: Page, idOrText: string): Promise<string | undefined> {
  const items = await statusBarItems(page);
  const hit =
    items.find((i) => i.id === idOrText) ??
    items.find((i) => i.id.endsWith(`.${idOrText}`)) ??
    items.find((i) => i.text.includes(idOrText) || i.ariaLabel.includes(idOrText));
  return hit ? hit.text || hit.ariaLabel : undefined;
}

/** Waits until the status bar item `idOrText` exists and (optionally) its text matches `expected`; returns its text. */
export async function waitForStatusBarItem(
  page: Page,
  idOrText: string,
  expected?: string | RegExp | ((text: string) => boolean),
  timeout = 20_000,
): Promise<string> {
  let last: string | undefined;
  return eventually(
    () => `status bar item ${idOrText}${expected ? ` to match ${String(expected)}` : ''} (last: ${JSON.stringify(last)})`,
    async () => {
      last = await readStatusBarItem(page, idOrText);
      if (!last) return undefined; // not there, or not rendered yet
      if (expected === undefined) return last;
      if (typeof expected === 'string') return last.includes(expected) ? last : undefined;
      if (expected instanceof RegExp) return expected.test(last) ? last : undefined;
      return expected(last) ? last : undefined;
    },
    { timeoutMs: timeout, intervalMs: 250 },
  );
}
