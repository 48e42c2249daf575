/**
 * End to end: debugging while the program hot-reloads, through the UI of the real VS Code
 * workbench (code-server, headless Chromium) with the packaged hot-reload.vsix. A breakpoint set
 * by clicking the gutter, Hot Reload: Start Debugging from the palette, a request that stops there
 * (debug toolbar, call stack, paused line), Continue; an edit of the handler saved: the same
 * debug session stops the next request in the new code; a compile error keeps the session; the
 * debug toolbar's Stop leaves no dlv and no program.
 *
 *   bash scripts/install-e2e.sh && npm run package
 *   npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/hotReloadDebug.test.js
 *
 * Screenshots: test-results/e2e/screenshots/debug-*.png. Needs Delve (dlv) besides Go.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { callStackRows, clickGutter, debugToolbar, gutterBreakpoints, waitForPause, waitUntilListening } from './debugging';
import { openFile, save } from './editor';
import { isOff, waitForStatus } from './hotReloadStatus';
import { makeWorkspace, programPids, skip, withWorkbench } from './hotReloadUi';
import { runCommand } from './quickInput';
import { httpGet } from '../support/http';
import { processesWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';
import { RUN_ENV } from './codeServer';

const HANDLER = 'fmt.Fprintln(w, greeting())';

test(
  'debugging through the UI: gutter breakpoint, Start Debugging, stop and continue, edit → the same session stops in the new code, a compile error keeps it, Stop leaves nothing',
  { skip, timeout: 300_000 },
  async (t) => {
    await withWorkbench(
      t,
      { prefix: 'debug', workspace: (port) => makeWorkspace('hello', port, { example: 'hello' }) },
      async ({ vs, page, ws, port, shot, step }) => {
        const dlvs = () => processesWithEnv(`${RUN_ENV}=${vs.runId}`).filter((pid) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'dlv');

        // 1. A breakpoint on the handler's line, by clicking the gutter.
        await openFile(page, 'main.go');
        await clickGutter(page, HANDLER);
        await eventually('a breakpoint in the gutter', async () => (await gutterBreakpoints(page)) === 1, { timeoutMs: 10_000 });
        await shot('01-breakpoint');

        // 2. Hot Reload: Start Debugging: v1 runs under Delve, VS Code's debugger is attached.
        await runCommand(page, 'Hot Reload: Start Debugging');
        await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 180_000, 'running v1');
        await eventually('the debug toolbar', async () => (await debugToolbar(page)).shown, { timeoutMs: 30_000 });
        assert.equal(dlvs().length, 1, 'v1 runs under one dlv');
        step('debugging v1');

        // 3. A request stops at the breakpoint: toolbar, call stack and the paused line show it; Continue answers it.
        await waitUntilListening(port, 'v1');
        const first = httpGet(port, '/', 60_000);
        assert.equal(await waitForPause(page, 30_000), HANDLER);
        await eventually('the call stack shows the handler', async () => (await callStackRows(page)).some((r) => r.includes('main.main.func1')), {
          timeoutMs: 10_000,
        });
        await shot('02-paused-v1');
        await runCommand(page, 'Debug: Continue');
        assert.equal((await first).body, 'hello, world');
        await eventually('running again', async () => !(await debugToolbar(page)).paused, { timeoutMs: 10_000 });

        // 4. Edit the handler's line and save: v2 under a new Delve, the same session stops there in the new code.
        await page.keyboard.press('Control+G');
        await page.keyboard.type(
          String(
            fs
              .readFileSync(`${ws}/main.go`, 'utf8')
              .split('\n')
              .findIndex((l) => l.includes(HANDLER)) + 1,
          ),
        );
        await page.keyboard.press('Enter');
        await page.keyboard.press('End');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.type(', "(edited)"');
        await save(page);
        await waitForStatus(page, (s) => s.icons.includes('zap') && /^v2 · /.test(s.text), 60_000, 'running v2');
        assert.ok((await debugToolbar(page)).shown, 'the debug session goes on across the reload');
        await eventually('v1’s dlv is gone, v2 has one', () => dlvs().length === 1, { timeoutMs: 10_000 });
        await waitUntilListening(port, 'v2');
        const second = httpGet(port, '/', 60_000);
        assert.equal(await waitForPause(page, 30_000), 'fmt.Fprintln(w, greeting(), "(edited)")', 'the paused line shows the new text');
        assert.equal(await gutterBreakpoints(page), 1, 'the breakpoint stayed set');
        await shot('03-paused-v2');
        await runCommand(page, 'Debug: Continue');
        assert.equal((await second).body, 'hello, world (edited)');
        step('v2 stopped at the same breakpoint in the new code');

        // 5. A compile error: v2 and the debug session go on.
        await page.keyboard.press('End');
        await page.keyboard.type(' )');
        await save(page);
        await waitForStatus(page, (s) => s.icons.includes('error'), 60_000, 'the failed build');
        const third = httpGet(port, '/', 60_000);
        assert.equal(await waitForPause(page, 30_000), 'fmt.Fprintln(w, greeting(), "(edited)") )');
        await shot('04-compile-error-still-debugging');
        await runCommand(page, 'Debug: Continue');
        assert.equal((await third).body, 'hello, world (edited)', 'v2 still serves, still under the debugger');

        // 6. The debug toolbar's Stop: hot reload stops, no dlv and no program are left.
        await runCommand(page, 'Debug: Stop');
        await waitForStatus(page, isOff, 30_000, 'off');
        await eventually('no dlv and no program left', () => dlvs().length === 0 && programPids(ws).length === 0, { timeoutMs: 10_000 });
        const stopped = Date.now();
        await eventually('the debug session to end (the toolbar gone)', async () => !(await debugToolbar(page)).shown, { timeoutMs: 15_000, intervalMs: 100 });
        step(`the debug session ended ${Date.now() - stopped} ms after the program was gone`);
        await eventually('the port is free', async () => 'error' in (await httpGet(port, '/', 1000).catch((e: Error) => ({ error: e.message }))), {
          timeoutMs: 5000,
        });
        await shot('05-stopped');
      },
    );
  },
);
