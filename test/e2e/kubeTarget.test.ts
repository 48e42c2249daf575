/**
 * End to end, a Kubernetes Deployment as the place the program runs, chosen and used only through
 * the workbench: Hot Reload: Select Target lists the folder's namespace's Deployments (through the
 * user's kubectl: KUBECONFIG and PATH, as .ci/run sets them for its cluster), picking one starts
 * there, the status bar says where and its tooltip links the port-forward the engine keeps, an
 * edit saved in the editor changes what that address answers, and Stop gives the Deployment back.
 *
 *   npx tsc -p tsconfig.test.json && node --test out/test/e2e/kubeTarget.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFile, save, typeInEditor } from './editor';
import { clickStatusItem, isOff, isRunning, STATUS, waitForStatus } from './hotReloadStatus';
import { makeWorkspace, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { pickQuickPickItem, runCommandToQuickPick } from './quickInput';
import { kubeMissing, skipUnlessKube } from '../support/kube';
import { openKubeApp } from '../support/kubeApp';

const noKube = skipUnlessKube(kubeMissing());

const greetingFile = (text: string) => `package main\n\nfunc greeting() string {\nreturn "${text}"\n}\n`;

test(
  'a Kubernetes Deployment as the target: picked in Select Target, an edit saved in the editor changes what the status bar’s address answers; Stop restores it',
  { skip: skip || noKube, timeout: 600_000 },
  async (t) => {
    const app = await openKubeApp('hr-e2e');
    try {
      await withWorkbench(
        t,
        {
          prefix: 'kube',
          workspace: () => {
            const ws = makeWorkspace('shop', app.port, { example: 'handoff' });
            const file = path.join(ws, '.vscode', 'settings.json');
            const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
            fs.writeFileSync(
              file,
              JSON.stringify({ ...settings, 'hotReload.kubeNamespace': app.namespace, 'hotReload.kubeAgentImage': app.agentImage }, null, 2),
            );
            return ws;
          },
        },
        async ({ page, ws, shot, step }) => {
          const items = await runCommandToQuickPick(page, 'Hot Reload: Select Target', /^Hot Reload: Select Target for shop$/);
          assert.ok(items.includes('deployment/app'), `the Deployment is offered: ${JSON.stringify(items)}`);
          step(`Select Target lists ${items.length} places`);
          await shot('01-select-target');
          await pickQuickPickItem(page, 'deployment/app');

          const running = await waitForStatus(page, (s) => isRunning(s) && s.text.includes('in deployment/app'), 240_000, 'running in deployment/app');
          step(`status bar: ${running.text}`);
          const settings = JSON.parse(fs.readFileSync(path.join(ws, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
          assert.equal(settings['hotReload.kubernetes'], 'deployment/app', 'the choice is the folder’s setting');
          assert.ok(app.inDevMode(), 'the Deployment is in development mode');

          // The tooltip links the address: a port-forward to the pod, on a port of this machine.
          await page.locator(`${STATUS} a, ${STATUS} .statusbar-item-label`).first().hover();
          const hover = page.locator('.workbench-hover, .monaco-hover', { hasText: 'serves' }).first();
          await hover.waitFor({ state: 'visible', timeout: 15_000 });
          const tooltip = await hover.innerText({ timeout: 2_000 });
          const forwarded = Number(/http:\/\/127\.0\.0\.1:(\d+)/.exec(tooltip)?.[1]);
          assert.ok(forwarded > 0 && forwarded !== app.port, `the tooltip links the forwarded address: ${tooltip}`);
          await page.keyboard.press('Escape');
          assert.equal(await waitForAnswer(forwarded, '/', (b) => b === 'hello, world', { what: 'the first answer', timeoutMs: 60_000 }), 'hello, world');
          await shot('02-running-in-pod');

          await openFile(page, 'greeting.go');
          await typeInEditor(page, greetingFile('hello from the pod'), { selectAll: true });
          await save(page);
          assert.equal(
            await waitForAnswer(forwarded, '/', (b) => b === 'hello from the pod', {
              what: 'the new answer through the forwarded address',
              timeoutMs: 120_000,
            }),
            'hello from the pod',
          );
          await waitForStatus(page, (s) => isRunning(s) && /^v2 · in /.test(s.text), 30_000, 'v2 in the pod');
          step('the edit reached the pod');
          await shot('03-edited');

          await clickStatusItem(page);
          await waitForStatus(page, isOff, 60_000, 'off');
          await app.restored();
          step('stopped: the Deployment is as it was');
        },
      );
    } finally {
      app.close();
    }
  },
);
