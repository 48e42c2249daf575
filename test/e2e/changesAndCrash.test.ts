/**
 * End to end (issue 11, items 4, 5 and 6), in the real workbench:
 *  - the status bar tooltip names the strategy, links the address, and its "started just now"
 *    counts on while it is open;
 *  - Show Changes with a dirty editor compares the running version with the editor's unsaved text
 *    (and says so), where it used to say "No changes";
 *  - a version that panics on start is rolled back, and the terminal keeps the crash in view:
 *    below the banner the last good version prints again, a marked separator and a one-line
 *    summary whose panic location is a link that opens the file at the line.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openFile, save, typeInEditor, waitForActiveEditor } from './editor';
import { clickStatusItem, STATUS, waitForStatus } from './hotReloadStatus';
import { makeWorkspace, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { notifications } from './notifications';
import type { Page } from './playwright';
import { runCommand } from './quickInput';
import { readTerminal, waitForTerminalText } from './terminal';
import { eventually } from '../support/waiting';

/** A start-up banner like gin's debug routes: enough lines to push a crash above it out of view. */
const MAIN = `package main

import (
\t"fmt"
\t"net/http"
\t"os"
)

func main() {
\tcfg := loadConfig()
\tfor i := 0; i < 40; i++ {
\t\tfmt.Printf("[GIN-debug] GET /route/%d --> main.handler (%s)\\n", i, cfg)
\t}
\tfmt.Println("banner done")
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, cfg) })
\tif err := http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil); err != nil {
\t\tfmt.Println(err)
\t\tos.Exit(1)
\t}
}
`;
/** No indentation: editor auto-indent is off, and gofmt is not needed to build. */
const config = (body: string) => `package main\n\nfunc loadConfig() string {\n${body}\n}\n`;
const PANIC_LINE = 4;

/** Text without any whitespace: a long terminal line wraps anywhere, even inside a word. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** Ctrl+clicks the text `needle` in the terminal (a link is activated with Ctrl held). */
async function ctrlClickTerminalText(page: Page, needle: string): Promise<void> {
  const box = await page.evaluate<{ x: number; y: number } | undefined>(`(() => {
    const rows = document.querySelector('.part.panel .terminal-wrapper.active .xterm-rows') || document.querySelector('.part.panel .xterm-rows');
    if (!rows) return undefined;
    const walker = document.createTreeWalker(rows, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.replace(/\\u00a0/g, ' ');
      const at = text.indexOf(${JSON.stringify(needle)});
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + ${needle.length});
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return undefined;
  })()`);
  assert.ok(box, `"${needle}" is not in the terminal's rows`);
  await page.mouse.move(box.x, box.y);
  await page.keyboard.down('Control');
  try {
    // The link is found on hover; give it a moment to be underlined, then click while Ctrl is held.
    await page.mouse.move(box.x + 1, box.y);
    await page.waitForTimeout(500);
    await page.mouse.click(box.x + 1, box.y);
  } finally {
    await page.keyboard.up('Control');
  }
}

test('Show Changes compares with the unsaved editor text; a crash on start stays in view after the rollback', { skip, timeout: 240_000 }, async (t) => {
  await withWorkbench(
    t,
    { prefix: 'truthful', workspace: (port) => makeWorkspace('crashy', port, { files: { 'main.go': MAIN, 'config.go': config('return "ok"') } }) },
    async ({ page, ws, port, shot, step }) => {
      await clickStatusItem(page);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 90_000, 'running v1');
      assert.equal(await waitForAnswer(port, '/', (b) => b === 'ok', { what: 'v1 answers', timeoutMs: 20_000 }), 'ok');
      step('running v1');

      // 0. The tooltip: the strategy, the address as a link, and a relative time that stays current while it is open.
      await page.locator(`${STATUS} a, ${STATUS} .statusbar-item-label`).first().hover();
      const hover = page.locator('.workbench-hover, .monaco-hover', { hasText: 'Started' }).first();
      await hover.waitFor({ state: 'visible', timeout: 15_000 });
      const first = await hover.innerText({ timeout: 2_000 });
      assert.match(first, /strategy: restart/, first);
      const address = page.locator('.workbench-hover a, .monaco-hover a', { hasText: `:${port}` }).first();
      assert.match((await address.getAttribute('href', { timeout: 5_000 })) ?? '', new RegExp(`^http://[^/]+:${port}/?$`), 'the address is a link');
      const ago = (text: string) => /Started (just now|\d+ s ago|\d+ min ago)/.exec(text)?.[1];
      const firstAgo = ago(first);
      assert.ok(firstAgo, first);
      let later = '';
      await eventually(
        () => `the open tooltip to count on from "${firstAgo}" (it says ${JSON.stringify(later)})`,
        async () => {
          later = await hover.innerText({ timeout: 2_000 });
          return ago(later) !== undefined && ago(later) !== firstAgo;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      step(`the open tooltip counts on: ${firstAgo} → ${ago(later)}`);
      await page.mouse.move(150, 600);

      // 1. A dirty editor, nothing saved: Show Changes shows the edit, not "No changes".
      await openFile(page, 'config.go');
      await typeInEditor(page, config('return "edited, not saved"'), { selectAll: true });
      await page.locator('.part.editor .tab.active.dirty').first().waitFor({ state: 'visible', timeout: 5_000 });
      await runCommand(page, 'Hot Reload: Show Changes');
      await page.locator('.part.editor .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 15_000 });
      const tab = (await page.locator('.part.editor .tab.active').first().innerText({ timeout: 5_000 })).replace(/\s+/g, ' ');
      assert.match(tab, /config\.go \(running v1\)/, `diff tab title: ${tab}`);
      assert.match(tab, /unsaved editor text/, `diff tab title: ${tab}`);
      const side = async (which: 'original' | 'modified') =>
        (await page.locator(`.part.editor .monaco-diff-editor .editor.${which} .view-lines`).first().innerText({ timeout: 2_000 })).replace(/\u00a0/g, ' ');
      await eventually("the running side of the diff to show v1's text", async () => (await side('original')).includes('return "ok"'), { timeoutMs: 10_000 });
      assert.ok((await side('modified')).includes('edited, not saved'), 'the right side is the editor text');
      assert.ok(!(await notifications(page)).some((n) => /No changes/.test(n)), 'no "No changes" message');
      assert.equal(await waitForAnswer(port, '/', () => true, { what: 'v1 still serves', timeoutMs: 5_000 }), 'ok', 'nothing was saved, nothing reloaded');
      step(`Show Changes with a dirty editor: ${tab}`);
      await shot('01-unsaved-changes');

      // 2. Save a version that panics on start: it is rolled back and v1 prints its banner again.
      await openFile(page, 'config.go');
      await typeInEditor(page, config('panic("config is broken")'), { selectAll: true });
      await save(page);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · rolled back$/.test(s.text), 60_000, 'v1 serving again, rolled back');
      assert.equal(await waitForAnswer(port, '/', (b) => b === 'ok', { what: 'v1 answers again', timeoutMs: 20_000 }), 'ok');
      step('v2 crashed on start, v1 serves again');

      // 3. The terminal: below v1's banner, the separator and the summary with the panic's place.
      await runCommand(page, 'Hot Reload: Show Output');
      await runCommand(page, 'Terminal: Scroll to Bottom');
      const where = `${path.join(ws, 'config.go')}:${PANIC_LINE}`;
      const summary = `v2 crashed on start (exited with status 2): panic: config is broken · ${where} · v1 serves again`;
      await waitForTerminalText(page, 'crash on start ━', 30_000);
      const text = squeeze(await readTerminal(page));
      assert.ok(text.includes(squeeze(summary)), `the summary "${summary}" in the terminal: ${text.slice(-600)}`);
      const lastBanner = text.lastIndexOf('bannerdone');
      assert.ok(lastBanner >= 0, `v1's banner after the rollback is in view: ${text.slice(-600)}`);
      assert.ok(text.lastIndexOf('━━crashonstart') > lastBanner, `the separator comes after the banner: ${text.slice(-600)}`);
      assert.ok(text.endsWith(squeeze('v1 serves again')), 'the summary is the last thing shown');
      step('the crash summary is below the banner');
      await shot('02-crash-summary');

      // 4. The panic location is a link: Ctrl+click opens config.go at the panic's line.
      await openFile(page, 'main.go');
      await runCommand(page, 'Hot Reload: Show Output');
      await ctrlClickTerminalText(page, `config.go:${PANIC_LINE}`);
      await waitForActiveEditor(page, 'config.go', 10_000);
      await eventually(
        `the cursor on line ${PANIC_LINE}`,
        async () =>
          /Ln 4\b/.test(
            (await page
              .locator('#status\\.editor\\.selection')
              .first()
              .innerText({ timeout: 2_000 })
              .catch(() => '')) ?? '',
          ),
        { timeoutMs: 10_000 },
      );
      step('the location link opens config.go at the panic');
      await shot('03-link-opened');
    },
  );
});
