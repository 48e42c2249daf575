/**
 * Smoke test of the e2e harness itself: the real VS Code workbench (code-server)
 * in headless Chromium, driven by playwright-core.
 *
 *   bash scripts/install-e2e.sh
 *   npx tsc -p tsconfig.test.json && node --test out/test/e2e/smoke.test.js
 *
 * Screenshots and logs: test-results/e2e/<test>/ (HOTRELOAD_E2E_ARTIFACTS to change).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchVSCode, type LaunchOptions, type VSCodeHandle } from './codeServer';
import { openFile, save, typeInEditor, waitForFileContent } from './editor';
import { waitForNotification } from './notifications';
import { problemsPanelEntries, waitForProblem } from './problems';
import { runCommand } from './quickInput';
import { readStatusBarItem, waitForStatusBarItem } from './statusBar';
import { waitForTerminalText } from './terminal';
import { artifacts, e2eSkip, requireE2eTooling } from './tooling';
import { packVsix } from './vsix';
import { screenshot } from './workbench';
import { tempDir } from '../support/files';
import { pidsWithCmdline } from '../support/processes';

// Skips with SKIP_HINT when the tooling is missing; with HOTRELOAD_E2E_REQUIRED=1 the tests run and fail instead.
const skip = e2eSkip();

/**
 * Launches the workbench on `workspace`, runs `body`, then closes it and proves nothing it started
 * is still running; a screenshot first when `body` fails. The workspace is removed after.
 */
async function withLaunch(options: LaunchOptions, body: (vs: VSCodeHandle) => Promise<void>): Promise<void> {
  try {
    const vs = await launchVSCode(options);
    try {
      await body(vs);
    } catch (e) {
      await screenshot(vs.page, 'failure').catch(() => undefined);
      throw e;
    } finally {
      await vs.close();
      assert.deepEqual(vs.livePids(), [], 'processes carrying the run marker are left');
      assert.deepEqual(pidsWithCmdline(vs.userDataDir), [], 'code-server processes (by user-data-dir) are left');
      assert.deepEqual(pidsWithCmdline(vs.tempDir), [], 'browser processes (by profile dir) are left');
    }
  } finally {
    fs.rmSync(options.workspace, { recursive: true, force: true });
  }
}

test('workbench: quick open, type + save, palette command, terminal, clean close', { skip, timeout: 240_000 }, async () => {
  requireE2eTooling();
  const ws = tempDir('hre2e-ws-');
  fs.writeFileSync(path.join(ws, 'notes.txt'), 'first line\n');
  fs.mkdirSync(path.join(ws, 'sub'));
  fs.writeFileSync(path.join(ws, 'sub', 'other.txt'), 'other\n');
  fs.writeFileSync(path.join(ws, 'bad.json'), '{ "a": , "b": 1 }\n');
  const t0 = Date.now();
  await withLaunch({ workspace: ws, screenshotsDir: path.join(artifacts, 'smoke-workbench') }, async (vs) => {
    console.log(`# workbench ready in ${Date.now() - t0} ms on port ${vs.port}`);
    const { page } = vs;
    await screenshot(page, '01-started');

    // The status bar shows the Problems counter (a built-in item).
    const problems = await waitForStatusBarItem(page, 'status.problems', undefined, 20_000);
    assert.match(problems, /0/);

    await openFile(page, 'notes.txt');
    await typeInEditor(page, 'typed by e2e\n{ "quote": "x" }', { at: 'end' });
    await screenshot(page, '02-typed');
    await save(page);
    const content = await waitForFileContent(path.join(ws, 'notes.txt'), (c) => c.includes('typed by e2e'));
    assert.equal(content, 'first line\ntyped by e2e\n{ "quote": "x" }');

    // Quick open of a file in a subfolder.
    await openFile(page, 'sub/other.txt');

    // A built-in command from the palette, with a checkable effect: the terminal
    // panel opens and its shell (a node-pty child in its own session) runs a command.
    await runCommand(page, 'View: Toggle Terminal');
    const term = page.locator('.part.panel .terminal-wrapper .xterm');
    await term.first().waitFor({ state: 'visible', timeout: 20_000 });
    await waitForTerminalText(page, /\S/, 20_000); // the shell prompt
    await term.first().click();
    await page.keyboard.type('echo terminal-ok > from-terminal.txt; echo done-$((6*7))');
    await page.keyboard.press('Enter');
    await waitForFileContent(path.join(ws, 'from-terminal.txt'), (c) => c.trim() === 'terminal-ok', 15_000);
    await waitForTerminalText(page, /^done-42$/m, 10_000);

    // The Problems panel reader: empty, then a real diagnostic from the built-in
    // JSON language server once a broken JSON file is opened.
    const none = await problemsPanelEntries(page);
    assert.deepEqual(
      none.filter((e) => e.kind === 'marker'),
      [],
    );
    await screenshot(page, '03-terminal');
    await openFile(page, 'bad.json');
    const entries = await waitForProblem(page, /Value expected/, 30_000);
    const marker = entries.find((e) => e.kind === 'marker');
    assert.ok(marker, JSON.stringify(entries));
    assert.equal(marker.severity, 'error');
    assert.equal(marker.message, 'Value expected');
    assert.equal(marker.line, 1);
    assert.equal(marker.column, 8);
    assert.equal(marker.file, path.join(ws, 'bad.json'));
    assert.match(await waitForStatusBarItem(page, 'status.problems', /^1 0$/, 10_000), /^1 0$/);
    await screenshot(page, '04-problems');
  });
  console.log(`# workbench test took ${Date.now() - t0} ms`);
});

test('extension: a .vsix installs, its command runs from the palette, its effects show', { skip, timeout: 240_000 }, async () => {
  requireE2eTooling();
  // A throwaway extension, packed without vsce.
  const extSrc = tempDir('hre2e-extsrc-');
  fs.writeFileSync(
    path.join(extSrc, 'package.json'),
    JSON.stringify(
      {
        name: 'e2e-probe',
        publisher: 'hotreload-e2e',
        displayName: 'E2E Probe',
        description: 'Throwaway extension made by the e2e smoke test',
        version: '0.0.1',
        engines: { vscode: '^1.80.0' },
        main: './extension.js',
        activationEvents: ['onStartupFinished'],
        contributes: { commands: [{ command: 'e2eProbe.writeMarker', title: 'Write Marker', category: 'E2E Probe' }] },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(extSrc, 'extension.js'),
    `const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
exports.activate = (context) => {
  const item = vscode.window.createStatusBarItem('probeStatus', vscode.StatusBarAlignment.Left, 1000);
  item.name = 'E2E Probe';
  item.text = 'E2E Probe: ready';
  item.show();
  context.subscriptions.push(item);
  context.subscriptions.push(vscode.commands.registerCommand('e2eProbe.writeMarker', () => {
    const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    fs.writeFileSync(path.join(folder, 'probe-marker.txt'), 'ran in node ' + process.version);
    item.text = 'E2E Probe: ran';
    vscode.window.showInformationMessage('E2E Probe wrote its marker');
  }));
};
exports.deactivate = () => {};
`,
  );
  const vsix = packVsix(extSrc, path.join(extSrc, 'out', 'e2e-probe-0.0.1.vsix'));

  const ws = tempDir('hre2e-ws-');
  fs.writeFileSync(path.join(ws, 'README.txt'), 'probe workspace\n');
  const t0 = Date.now();
  try {
    await withLaunch({ workspace: ws, vsix, screenshotsDir: path.join(artifacts, 'smoke-extension') }, async (vs) => {
      const installed = fs.readdirSync(vs.extensionsDir).filter((d) => d.startsWith('hotreload-e2e.e2e-probe'));
      assert.equal(installed.length, 1, `extension dir in ${vs.extensionsDir}: ${fs.readdirSync(vs.extensionsDir).join(', ')}`);
      const { page } = vs;

      // Activated on startup: its status bar item shows.
      const ready = await waitForStatusBarItem(page, 'hotreload-e2e.e2e-probe.probeStatus', 'E2E Probe: ready', 30_000);
      assert.equal(ready, 'E2E Probe: ready');

      await runCommand(page, 'E2E Probe: Write Marker');
      const marker = await waitForFileContent(path.join(ws, 'probe-marker.txt'), (c) => c.startsWith('ran in node v'), 15_000);
      assert.match(marker, /^ran in node v24\./, 'the extension host runs on code-server’s Node 24');
      await waitForStatusBarItem(page, 'probeStatus', 'E2E Probe: ran', 10_000);
      assert.equal(await readStatusBarItem(page, 'E2E Probe'), 'E2E Probe: ran');
      await waitForNotification(page, 'E2E Probe wrote its marker', 10_000);
      await screenshot(page, '01-extension-ran');
    });
  } finally {
    fs.rmSync(extSrc, { recursive: true, force: true });
  }
  console.log(`# extension test took ${Date.now() - t0} ms`);
});
