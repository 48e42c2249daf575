/**
 * End to end in the real workbench (code-server in headless Chromium, the packaged .vsix), on
 * examples/services: Start runs every service; the Hot Reload Services view lists them with their
 * versions and the status bar sums them up; an edit of the shared package saved in the editor
 * switches the api and the worker (both v2) and not the gateway; the worker's Stop and Start
 * buttons in the view stop it and bring it back; Stop stops them all.
 *
 *   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/e2e/services.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clickStatusItem, waitForStatus } from './hotReloadStatus';
import { openFile, save, typeInEditor } from './editor';
import type { Page } from './playwright';
import { runCommand } from './quickInput';
import { makeWorkspace, skip, withWorkbench } from './hotReloadUi';
import { pickQuickPickItem, waitForQuickPick } from './quickInput';
import { httpGet, httpGetOrError } from '../support/http';
import { eventually } from '../support/waiting';

const PANE = '.pane:has(.pane-header:has-text("Hot Reload Services"))';

/** The view's rows as "name description" lines. */
async function serviceRows(page: Page): Promise<string[]> {
  const rows = page.locator(`${PANE} .monaco-list-row`);
  const count = await rows.count();
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    const name = (await row.locator('.label-name').first().textContent()) ?? '';
    const description =
      (await row
        .locator('.label-description')
        .first()
        .textContent()
        .catch(() => '')) ?? '';
    texts.push(`${name.trim()} ${description.trim()}`.trim());
  }
  return texts;
}

function rowOf(rows: string[], name: string): string | undefined {
  return rows.find((row) => row.startsWith(`${name} `) || row === name);
}

async function viewShows(page: Page, name: string, what: RegExp, timeoutMs = 120_000): Promise<string> {
  let seen: string[] = [];
  return eventually(
    () => `${name} in the Services view to match ${what} (rows: ${seen.join(' | ')})`,
    async () => {
      seen = await serviceRows(page).catch(() => seen);
      const row = rowOf(seen, name);
      return row && what.test(row) ? row : undefined;
    },
    { timeoutMs },
  );
}

/** Clicks one of a service's inline buttons (they show on the row under the pointer). */
async function clickServiceAction(page: Page, name: string, action: string): Promise<void> {
  const index = (await serviceRows(page)).findIndex((row) => row === name || row.startsWith(`${name} `));
  assert.ok(index >= 0, `no row for ${name}`);
  const row = page.locator(`${PANE} .monaco-list-row`).nth(index);
  await row.hover();
  await row.locator(`.action-label[aria-label="${action}"]`).first().click({ timeout: 10_000 });
}

const sharedFile = (text: string) => `package greeting\n\nfunc Text() string {\n\treturn ${JSON.stringify(text)}\n}\n`;

test(
  'services in VS Code: the Services view, start all, an edit of the shared package, stop and start one, stop all',
  { skip, timeout: 600_000 },
  async (t) => {
    await withWorkbench(
      t,
      { prefix: 'services', workspace: (port) => makeWorkspace('services', port, { example: 'services' }) },
      async ({ page, shot, step }) => {
        await clickStatusItem(page);
        const running = await waitForStatus(page, (s) => s.icons.includes('zap') && /^4 services · v1\b/.test(s.text), 240_000, 'running: 4 services · v1');
        step(`status: ${running.text}`);
        // The view opens by itself once services run.
        await page.locator(`${PANE} .monaco-list-row`).first().waitFor({ state: 'visible', timeout: 30_000 });
        await viewShows(page, 'db', /^db running · 127\.0\.0\.1:\d+/, 60_000);
        const apiRow = await viewShows(page, 'api', /^api v1 · localhost:\d+/);
        await viewShows(page, 'worker', /^worker v1 · localhost:\d+/);
        const gatewayRow = await viewShows(page, 'gateway', /^gateway v1 · localhost:\d+/);
        const gatewayPort = Number(/localhost:(\d+)/.exec(gatewayRow)![1]);
        step(`api: ${apiRow}; gateway: ${gatewayRow}`);
        assert.equal((await eventually('the gateway answers', () => httpGet(gatewayPort).catch(() => undefined))).body, 'gateway | api: hello | worker: hello');
        // A terminal per service (the panel lists them as tabs).
        for (const name of ['db', 'api', 'worker', 'gateway'])
          await page
            .locator('.terminal-tabs-entry', { hasText: `${name} · Hot Reload` })
            .first()
            .waitFor({ state: 'attached', timeout: 20_000 });
        await shot('01-started');

        await openFile(page, 'shared/greeting/greeting.go');
        await typeInEditor(page, sharedFile('from the editor'), { selectAll: true });
        await save(page);
        await viewShows(page, 'api', /^api v2\b/);
        await viewShows(page, 'worker', /^worker v2\b/);
        assert.match((await viewShows(page, 'gateway', /^gateway v/)) ?? '', /^gateway v1\b/, 'the gateway was not rebuilt');
        await waitForStatus(page, (s) => /^4 services · v2\b/.test(s.text), 60_000, '4 services · v2');
        assert.equal((await httpGet(gatewayPort)).body, 'gateway | api: from the editor | worker: from the editor');
        await shot('02-shared-edit');

        await clickServiceAction(page, 'worker', 'Stop Service');
        await viewShows(page, 'worker', /^worker stopped/, 60_000);
        assert.equal(rowOf(await serviceRows(page), 'api')?.startsWith('api v2'), true, 'the api keeps running');
        await shot('03-worker-stopped');
        await clickServiceAction(page, 'worker', 'Start Service');
        await viewShows(page, 'worker', /^worker v1\b/, 120_000);
        assert.equal(
          (
            await eventually('the gateway answers again', async () => {
              const answer = await httpGet(gatewayPort).catch(() => undefined);
              return answer?.status === 200 ? answer : undefined;
            })
          ).body,
          'gateway | api: from the editor | worker: from the editor',
        );
        await shot('04-worker-started');

        await runCommand(page, 'Hot Reload: Stop');
        await waitForStatus(page, (s) => s.icons.includes('debug-start'), 60_000, 'off');
        await eventually('the gateway is gone', async () => ('error' in (await httpGetOrError(gatewayPort, '/', 2000)) ? true : undefined), {
          timeoutMs: 30_000,
        });
      },
    );
  },
);

const server = (name: string) =>
  `package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "${name}") })\n\t_ = http.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n`;

test(
  'several main packages and no hotreload.toml: “Run them all” in the program picker writes the file and runs both',
  { skip, timeout: 300_000 },
  async (t) => {
    const files = { 'cmd/api/main.go': server('api'), 'cmd/worker/main.go': server('worker') };
    await withWorkbench(t, { prefix: 'services-all', workspace: (port) => makeWorkspace('multi', port, { files }) }, async ({ page, ws, shot }) => {
      await clickStatusItem(page);
      await waitForQuickPick(page, /^Hot Reload: which program in multi\?$/, 30_000);
      await pickQuickPickItem(page, 'Run them all');
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^2 services · v1\b/.test(s.text), 180_000, 'running: 2 services · v1');
      assert.match(fs.readFileSync(path.join(ws, 'hotreload.toml'), 'utf8'), /\[services\.api\]\ngo = "\.\/cmd\/api"\nport = "auto"/);
      const api = await viewShows(page, 'api', /^api v1 · (localhost|127\.0\.0\.1):\d+/);
      const worker = await viewShows(page, 'worker', /^worker v1 · (localhost|127\.0\.0\.1):\d+/);
      const portOf = (row: string) => Number(/:(\d+)/.exec(row)![1]);
      assert.equal((await httpGet(portOf(api))).body, 'api');
      assert.equal((await httpGet(portOf(worker))).body, 'worker');
      await shot('01-run-them-all');
      await runCommand(page, 'Hot Reload: Stop');
      await waitForStatus(page, (s) => s.icons.includes('debug-start'), 60_000, 'off');
    });
  },
);
