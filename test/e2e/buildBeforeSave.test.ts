/**
 * End to end: a build made before the save, in the real VS Code workbench (code-server, headless
 * Chromium) with the packaged hot-reload.vsix. The editor sends the buffer's unsaved text to the
 * engine; a pause in typing builds it (a `go build -overlay` process runs, nothing is deployed);
 * the save deploys that build, and the terminal says so.
 *
 *   bash scripts/install-e2e.sh && npm run package
 *   npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/buildBeforeSave.test.js
 *
 * Screenshots: test-results/e2e/screenshots/before-save-*.png. Missing tooling (or Go) skips, unless HOTRELOAD_E2E_REQUIRED=1.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openFile, save, typeInEditor } from './editor';
import { clickStatusItem, waitForStatus } from './hotReloadStatus';
import { buildsDirOf, makeWorkspace, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { waitForTerminalText } from './terminal';
import { pidsWithCmdline } from '../support/processes';
import { eventually } from '../support/waiting';

/** gofmt-clean without indentation (the editor's auto-indent would add its own). */
const greetingFile = (text: string) => `package main\n\n// greeting is what the service answers.\nfunc greeting() string { return "${text}" }\n`;
const TYPED = 'built while you paused';

test('build before the save: typed, a pause, saved: the build made during the pause is what runs', { skip, timeout: 180_000 }, async (t) => {
  await withWorkbench(
    t,
    { prefix: 'before-save', workspace: (port) => makeWorkspace('hello', port, { example: 'hello' }) },
    async ({ page, port, ws, shot, step }) => {
      await clickStatusItem(page);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 60_000, 'running v1');
      await waitForAnswer(port, '/', (b) => b === 'hello, world', { what: 'the first greeting', timeoutMs: 20_000 });
      step('running v1');

      await openFile(page, 'greeting.go');
      await typeInEditor(page, greetingFile(TYPED), { selectAll: true });
      // The pause: the engine builds the unsaved text in the background (go build -overlay), and shows nothing of it.
      const speculative = buildsDirOf(ws).replace(/\/builds\/$/, '/speculative/');
      const background = () => pidsWithCmdline(speculative);
      await eventually('a build of the unsaved text during the pause', () => background().length > 0, { timeoutMs: 20_000, intervalMs: 10 });
      await eventually('that build done', () => background().length === 0, { timeoutMs: 60_000 });
      assert.equal(await waitForAnswer(port, '/', () => true, { what: 'the greeting', timeoutMs: 5_000 }), 'hello, world', 'nothing deployed before the save');
      step('built during the pause');

      await save(page);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v2 · /.test(s.text), 30_000, 'running v2');
      assert.equal(await waitForAnswer(port, '/', (b) => b === TYPED, { what: 'the typed greeting', timeoutMs: 15_000 }), TYPED);
      const terminal = await waitForTerminalText(page, /v2 restarted · (save|change) · .*made before the save/, 15_000);
      step(`saved: ${/v2 restarted[^\n]*/.exec(terminal)?.[0] ?? ''}`);
      await shot('01-v2');
    },
  );
});
