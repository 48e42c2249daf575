/** The debugger in the workbench: gutter breakpoints, the debug toolbar, the call stack, the paused line. */
import type { Page } from './playwright';
import { accepts } from '../support/ports';
import { eventually } from '../support/waiting';

/**
 * Waits until the program accepts connections on `port`. The status bar says a version runs once
 * Delve runs it, not once it listens (the engine knows no port to probe): a request sent before
 * then is refused.
 */
export async function waitUntilListening(port: number, version: string): Promise<void> {
  await eventually(`${version} to listen on :${port}`, () => accepts(port), { timeoutMs: 30_000, intervalMs: 100 });
}

/** Clicks the glyph margin (the gutter) beside the visible editor line containing `text`, as a user sets a breakpoint. */
export async function clickGutter(page: Page, text: string): Promise<void> {
  const point = await page.evaluate<{ x: number; y: number } | undefined>(`(() => {
    const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
    if (!editor) return undefined;
    const line = Array.from(editor.querySelectorAll('.view-lines .view-line')).find((l) => l.textContent.replace(/\\u00a0/g, ' ').includes(${JSON.stringify(text)}));
    const margin = editor.querySelector('.glyph-margin');
    if (!line || !margin) return undefined;
    const l = line.getBoundingClientRect();
    const m = margin.getBoundingClientRect();
    return { x: m.left + m.width / 2, y: l.top + l.height / 2 };
  })()`);
  if (!point) throw new Error(`no visible editor line contains ${JSON.stringify(text)}`);
  await page.mouse.move(point.x, point.y);
  await page.mouse.click(point.x, point.y);
}

/** Breakpoint glyphs in the active editor's gutter (verified or not). */
export async function gutterBreakpoints(page: Page): Promise<number> {
  return page
    .locator(
      '.part.editor .editor-group-container.active .monaco-editor .codicon-debug-breakpoint, .part.editor .editor-group-container.active .monaco-editor .codicon-debug-breakpoint-unverified',
    )
    .count();
}

/** Whether the debug toolbar is shown, and whether it offers Continue (paused) or Pause (running). */
export async function debugToolbar(page: Page): Promise<{ shown: boolean; paused: boolean }> {
  return page.evaluate(`(() => {
    const bar = document.querySelector('.debug-toolbar');
    const shown = !!bar && bar.getBoundingClientRect().height > 0 && getComputedStyle(bar).display !== 'none';
    return { shown, paused: shown && !!bar.querySelector('.codicon-debug-continue') };
  })()`);
}

/** The text of the editor line the debugger is paused at (the top stack frame's line), if one is shown. */
export async function pausedLineText(page: Page): Promise<string | undefined> {
  return page.evaluate(`(() => {
    const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
    if (!editor) return undefined;
    const mark = editor.querySelector('.debug-top-stack-frame-line, .codicon-debug-stackframe');
    if (!mark) return undefined;
    const top = mark.getBoundingClientRect().top;
    const line = Array.from(editor.querySelectorAll('.view-lines .view-line')).find((l) => Math.abs(l.getBoundingClientRect().top - top) < 4);
    return line ? line.textContent.replace(/\\u00a0/g, ' ').trim() : undefined;
  })()`);
}

/** Rows of the Call Stack view (sessions, threads, frames), as shown. */
export async function callStackRows(page: Page): Promise<string[]> {
  const texts = await page.locator('.debug-call-stack .monaco-list-row').allInnerTexts();
  return texts.map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Waits until the debugger is paused: the toolbar offers Continue and the editor shows the paused line. */
export async function waitForPause(page: Page, timeout: number): Promise<string> {
  let last: unknown;
  return eventually(
    () => `the debugger to pause (last: ${JSON.stringify(last)})`,
    async () => {
      const bar = await debugToolbar(page);
      const line = await pausedLineText(page);
      last = { bar, line };
      return bar.paused && line ? line : undefined;
    },
    { timeoutMs: timeout, intervalMs: 200 },
  );
}
