/**
 * End to end, a running Docker container as the place the program runs, chosen and used only
 * through the workbench: Hot Reload: Select Target lists the containers the Docker Engine reports,
 * picking one writes the folder's setting and starts there, the status bar says where, an edit
 * saved in the editor changes what the container answers, and Stop leaves nothing of ours in it.
 *
 * The container is a FROM scratch image on the host's network (its loopback is ours), from the
 * Docker Engine .ci/run starts (DOCKER_HOST). Without one the test skips, unless
 * HOTRELOAD_REMOTE_REQUIRED is set.
 *
 *   npx tsc -p tsconfig.test.json && node --test out/test/e2e/remoteTarget.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFile, save, typeInEditor } from './editor';
import { clickStatusItem, isOff, isRunning, waitForStatus } from './hotReloadStatus';
import { makeWorkspace, programPids, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { pickQuickPickItem, runCommandToQuickPick } from './quickInput';
import { containerFiles, containerProcesses, dockerMissing, skipUnless, startContainer } from '../support/remote';
import { eventually } from '../support/waiting';

const noDocker = skipUnless(dockerMissing());

const greetingFile = (text: string) => `package main\n\nfunc greeting() string {\nreturn "${text}"\n}\n`;

test(
  'a running container as the target: picked in Select Target, an edit saved in the editor changes what the container answers',
  { skip: skip || noDocker, timeout: 300_000 },
  async (t) => {
    const container = startContainer();
    try {
      await withWorkbench(
        t,
        { prefix: 'remote', workspace: (port) => makeWorkspace('shop', port, { example: 'handoff' }) },
        async ({ page, ws, port, shot, step }) => {
          const items = await runCommandToQuickPick(page, 'Hot Reload: Select Target', /^Hot Reload: Select Target for shop$/);
          assert.ok(items.includes(container.name), `the running container is offered: ${JSON.stringify(items)}`);
          assert.ok(items.includes('This machine'), `this machine is offered: ${JSON.stringify(items)}`);
          step(`Select Target lists ${items.length} places`);
          await shot('01-select-target');
          await pickQuickPickItem(page, container.name);

          assert.equal(
            await waitForAnswer(port, '/', (b) => b === 'hello, world', { what: 'the first answer from the container', timeoutMs: 120_000 }),
            'hello, world',
          );
          const running = await waitForStatus(page, (s) => isRunning(s) && s.text.includes(`in ${container.name}`), 30_000, `running in ${container.name}`);
          step(`status bar: ${running.text}`);
          assert.ok(
            containerProcesses(container.name).some((p) => p.startsWith('/.hotreload/builds/v1/')),
            `v1 runs in the container: ${containerProcesses(container.name).join('; ')}`,
          );
          assert.deepEqual(programPids(ws), [], 'nothing runs from the local build dir');
          const settings = JSON.parse(fs.readFileSync(path.join(ws, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
          assert.equal(settings['hotReload.container'], container.name, 'the choice is the folder’s setting');
          await shot('02-running-in-container');

          await openFile(page, 'greeting.go');
          await typeInEditor(page, greetingFile('hello from the container'), { selectAll: true });
          await save(page);
          assert.equal(
            await waitForAnswer(port, '/', (b) => b === 'hello from the container', { what: 'the new answer', timeoutMs: 60_000 }),
            'hello from the container',
          );
          await waitForStatus(page, (s) => isRunning(s) && /^v2 · in /.test(s.text), 30_000, 'v2 in the container');
          assert.ok(
            containerProcesses(container.name).some((p) => p.startsWith('/.hotreload/builds/v2/')),
            'v2 runs in the container',
          );
          step('the edit reached the container');
          await shot('03-edited');

          await clickStatusItem(page);
          await waitForStatus(page, isOff, 30_000, 'off');
          await eventually(
            () => `nothing of ours in the container (it runs ${containerProcesses(container.name).join('; ')})`,
            () => containerProcesses(container.name).join() === '/idle',
            { timeoutMs: 10_000, intervalMs: 100 },
          );
          assert.deepEqual(containerFiles(container.name, '/.hotreload'), ['hotreload-supervisor'], 'only the supervisor is left in its work dir');
          step('stopped: the container runs only its own program');
        },
      );
    } finally {
      container.remove();
    }
  },
);
