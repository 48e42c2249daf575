/** The terminal in the panel, read as text (the DOM renderer's rows). */
import type { Page } from './playwright';
import { eventually } from '../support/waiting';

/** Text of the terminal shown in the panel (DOM renderer rows), lines trimmed at the end. */
export async function readTerminal(page: Page): Promise<string> {
  const rows = page.locator('.part.panel .terminal-wrapper.active .xterm-rows, .part.panel .terminal-wrapper .xterm-rows').first();
  const text = await rows.innerText({ timeout: 5000 });
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
}

/** Waits until the terminal text matches `match`; returns the text. */
export async function waitForTerminalText(page: Page, match: string | RegExp, timeout = 20_000): Promise<string> {
  let last = '';
  return eventually(
    () => `terminal text matching ${String(match)} (last: ${JSON.stringify(last.slice(-300))})`,
    async () => {
      last = await readTerminal(page);
      return (typeof match === 'string' ? last.includes(match) : match.test(last)) ? last : undefined;
    },
    { timeoutMs: timeout, intervalMs: 250 },
  );
}
