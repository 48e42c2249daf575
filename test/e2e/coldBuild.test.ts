/**
 * End to end: the first start on an empty Go cache, in the real workbench. The module's dependency
 * comes from a module proxy the test lays out on disk, GOCACHE and GOMODCACHE are empty folders
 * (hotReload.buildEnv), so the build downloads and compiles everything. The user sees a progress
 * notification and the status bar say how far it is; Cancel stops the build; a new start builds
 * to the end and the notification goes.
 *
 *   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/e2e/coldBuild.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { clickStatusItem, isOff, isRunning, statusItem, waitForStatus } from './hotReloadStatus';
import { skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { notifications, waitForNotification } from './notifications';
import type { Page } from './playwright';
import { waitForTerminalText } from './terminal';
import { coldGoModule, serveProxy } from '../support/coldGo';
import { writeFile } from '../support/files';
import { pidsWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';

const PROGRESS = /compiling \d+ of \d+ packages|compiling packages \(\d+ done\)|downloading \S+ \S+ \(\d+ modules?\)/;

/** The progress notification's toast, found by its title. */
const progressToast = (page: Page) => page.locator('.notifications-toasts .notification-toast', { hasText: 'Hot Reload: building' }).first();

test(
  'a cold first build shows its progress in a notification and the status bar; Cancel stops it; the next start builds and the notification goes',
  { skip, timeout: 600_000 },
  async (t) => {
    const cold = coldGoModule();
    // The dependency takes seconds to come, as over a network (from a proxy on loopback).
    const proxy = await serveProxy(cold.proxy, 4000);
    const buildEnv = { ...cold.env, GOPROXY: proxy.goproxy };
    const workspace = (port: number) => {
      writeFile(
        path.join(cold.dir, '.vscode', 'settings.json'),
        JSON.stringify({ 'hotReload.env': { PORT: String(port) }, 'hotReload.buildEnv': buildEnv }, null, 2),
      );
      return cold.dir;
    };
    try {
      await withWorkbench(t, { prefix: 'cold-build', workspace }, async ({ page, port, shot, step }) => {
        // 1. Start: the build is slow, so the notification and the status bar say how far it is.
        await clickStatusItem(page);
        const shown = await waitForNotification(page, 'downloading example.com/greet v1.0.0 (1 module)', 120_000);
        step(`notification: ${shown}`);
        await shot('01-downloading');
        const status = await waitForStatus(page, (s) => s.icons.includes('sync') && PROGRESS.test(s.text), 60_000, 'the build progress');
        step(`status bar: ${status.text}`);
        await eventually(
          'the notification to count the packages',
          async () => (await notifications(page)).find((n) => /compiling \d+ of \d+ packages/.test(n)),
          {
            timeoutMs: 120_000,
            intervalMs: 200,
          },
        );
        await shot('02-compiling');
        assert.ok(pidsWithEnv('GOCACHE', cold.cache).length > 0, 'go builds with the cold cache');

        // 2. Cancel in the notification: the build stops, the folder is off and says why.
        await progressToast(page).getByRole('button', { name: 'Cancel' }).click();
        await waitForStatus(page, isOff, 30_000, 'off after Cancel');
        await waitForTerminalText(page, 'build cancelled', 20_000);
        await eventually('no go process left', () => pidsWithEnv('GOCACHE', cold.cache).length === 0, { timeoutMs: 20_000 });
        assert.equal(await progressToast(page).count(), 0, 'the notification went');
        step('cancelled: off, no go process left');
        await shot('03-cancelled');

        // 3. Start again: it builds to the end, the program serves, the notification goes.
        await clickStatusItem(page);
        await waitForNotification(page, PROGRESS, 120_000);
        const running = await waitForStatus(page, isRunning, 540_000, 'running v1');
        step(`running: ${running.text}`);
        assert.equal(
          (await waitForAnswer(port, '/', (b) => b.includes('downloaded module'), { what: 'the program', timeoutMs: 30_000 })).trim(),
          'hello from a downloaded module',
        );
        await eventually('the notification to go', async () => (await progressToast(page).count()) === 0, { timeoutMs: 20_000, intervalMs: 200 });
        assert.ok(!PROGRESS.test((await statusItem(page))?.text ?? ''), 'the status bar no longer shows progress');
        await shot('04-running');
      });
    } finally {
      await proxy.close();
      cold.remove();
    }
  },
);
