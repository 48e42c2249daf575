/**
 * End to end: the packaged extension (hot-reload.vsix) installed in the real
 * VS Code workbench (code-server, headless Chromium), driven only through the
 * UI — status bar clicks, the command palette, Quick Open, the Settings editor,
 * typing and saving.
 * The program is observed from outside: HTTP requests to the example service
 * (examples/hello: `/` answers greeting(), `/pid` its pid) and /proc.
 *
 *   bash scripts/install-e2e.sh                       # once
 *   npm run package                                   # or let the test do it when hot-reload.vsix is missing
 *   npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/hotReload.test.js
 *
 * Screenshots of the key states: test-results/e2e/screenshots/ (HOTRELOAD_E2E_ARTIFACTS moves
 * test-results/e2e). Missing tooling (or Go) skips, unless HOTRELOAD_E2E_REQUIRED=1.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openFile, save, typeInEditor, waitForFileContent } from './editor';
import { clickStatusItem, isOff, statusItem, waitForStatus } from './hotReloadStatus';
import { buildsDirOf, makeWorkspace, programPids, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { waitForNotification } from './notifications';
import type { VSCodeHandle } from './codeServer';
import type { Page } from './playwright';
import { problemsPanelEntries, waitForProblem, type ProblemEntry } from './problems';
import { runCommand } from './quickInput';
import { closeSettingsEditor, expectedSetting, openSettingsEditor, searchSetting, type ConfigurationSection } from './settingsEditor';
import { waitForStatusBarItem } from './statusBar';
import { waitForTerminalText } from './terminal';
import { httpGetOrError } from '../support/http';
import { waitForPortFree } from '../support/ports';
import { pidsWithCmdline } from '../support/processes';
import { eventually } from '../support/waiting';

const helloWorkspace = (port: number) => makeWorkspace('hello', port, { example: 'hello' });

/** The settings of the Hot Reload extension installed in the workbench, from its package.json. */
function installedSettings(vs: VSCodeHandle): ConfigurationSection[] {
  const dir = fs.readdirSync(vs.extensionsDir).find((d) => d.startsWith('hot-reload.hot-reload-'));
  assert.ok(dir, `Hot Reload is installed in ${vs.extensionsDir}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(vs.extensionsDir, dir, 'package.json'), 'utf8')) as {
    contributes: { configuration: ConfigurationSection[] };
  };
  return manifest.contributes.configuration;
}

/**
 * Does the status text say this reload (`verb`, "started" for the first version) with a duration
 * that fits between `from` and `to` (ms)? A state sent before the reload's report would show the
 * previous version's words.
 */
function reloadShown(text: string, verb: 'started' | 'reloaded', from: number, to: number): boolean {
  const m = /· (started|reloaded) in ([\d.]+) (ms|s)$/.exec(text);
  if (!m || m[1] !== verb) return false;
  const ms = Number(m[2]) * (m[3] === 's' ? 1000 : 1);
  return ms <= to - from + 1000;
}

function assertReloadShown(text: string, verb: 'started' | 'reloaded', from: number, to: number): void {
  assert.match(text, /^v\d+ · (started|reloaded) in [\d.]+ m?s$/);
  assert.ok(reloadShown(text, verb, from, to), `"${text}" does not say a ${verb} reload that took at most ${to - from} ms`);
}

/**
 * The terminal panel, once hidden (here by the Problems panel) and shown again, can stop following
 * new output (xterm keeps its viewport where the reflow left it): what a user would do, scroll down.
 */
async function scrollTerminalToBottom(page: Page): Promise<void> {
  await runCommand(page, 'Terminal: Scroll to Bottom');
}

/** Markers (not file rows) in the Problems panel. */
async function problemMarkers(page: Page): Promise<ProblemEntry[]> {
  return (await problemsPanelEntries(page)).filter((e) => e.kind === 'marker');
}

const GREETING_V2 = 'hello from the e2e test, take 2';
const GREETING_V3 = 'hello from the e2e test, take 3';
/** No indentation: editor auto-indent is off, and gofmt is not needed to build. */
const greetingFile = (text: string) => `package main\n\n// greeting is what the service answers.\nfunc greeting() string {\nreturn "${text}"\n}\n`;
/** A syntax error on line 5 (`return "…" )`), column 17 + len: go says "syntax error: unexpected ) at end of statement". */
const brokenGreetingFile = (text: string) => `package main\n\n// greeting is what the service answers.\nfunc greeting() string {\nreturn "${text}" )\n}\n`;
const BROKEN_LINE = 5;

test(
  'hot reload through the UI: settings listed with docs, start, edit → v2, build error in Problems, restart, Show Changes, terminal, stop',
  { skip, timeout: 240_000 },
  async (t) => {
    await withWorkbench(t, { prefix: 'hot-reload', workspace: helloWorkspace }, async ({ vs, page, ws, port, shot, step }) => {
      const folderName = path.basename(ws);
      const greetingPath = path.join(ws, 'greeting.go');
      // withWorkbench saw the extension activate on go.mod and show its status bar item, off.

      // 0. Settings once reachable only through .air.toml or the CLI are listed in the Settings editor
      // under Hot Reload, each with the docs the installed extension's package.json gives it.
      await openSettingsEditor(page);
      for (const key of ['hotReload.proxyPort', 'hotReload.drainTimeoutMs', 'hotReload.onBusyUpdate']) {
        const expected = expectedSetting(installedSettings(vs), key);
        assert.ok(expected.description.length > 0, `${key} has docs`);
        const shown = await searchSetting(page, key);
        assert.equal(`${shown.category}: ${shown.label}`, `Hot Reload: ${expected.label}`, key);
        assert.equal(shown.description, expected.description, `${key}: its docs`);
        const hotReload = shown.groups.findIndex((g) => g.title === 'Hot Reload');
        assert.ok(
          hotReload > 0 &&
            shown.groups[hotReload - 1].title === 'Extensions' &&
            shown.groups.slice(hotReload + 1).some((g) => g.title === expected.group && g.depth === shown.groups[hotReload].depth + 1),
          `${key} is listed under Extensions › Hot Reload › ${expected.group}: ${JSON.stringify(shown.groups)}`,
        );
        await shot(`00-settings-${key.slice('hotReload.'.length)}`);
      }
      await closeSettingsEditor(page);
      step('the settings are listed under Hot Reload with their docs');

      // 1. Start by clicking the status bar item.
      let before = Date.now();
      await clickStatusItem(page);
      const v1 = await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 60_000, 'running v1, started');
      step(`running: ${v1.text}`);
      assertReloadShown(v1.text, 'started', before, Date.now());
      assert.equal(await waitForAnswer(port, '/', (b) => b === 'hello, world', { what: 'the first greeting', timeoutMs: 20_000 }), 'hello, world');
      const pid1 = Number(await waitForAnswer(port, '/pid', (b) => /^\d+$/.test(b), { what: 'the pid', timeoutMs: 5_000 }));
      assert.deepEqual(programPids(ws), [pid1], 'the process answering is the one built in the work dir, alone');
      await shot('01-running-v1');

      // 2. Edit greeting.go in the editor (Quick Open, select all, type), save: v2 answers.
      await openFile(page, 'greeting.go');
      await typeInEditor(page, greetingFile(GREETING_V2), { selectAll: true });
      before = Date.now();
      await save(page);
      await waitForFileContent(greetingPath, (c) => c === greetingFile(GREETING_V2), 5_000);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v2\b/.test(s.text), 30_000, 'running v2');
      // The time shown is v2's reload, not v1's (the state used to go out before the reload's report).
      const v2 = await waitForStatus(
        page,
        (s) => /^v2 · /.test(s.text) && reloadShown(s.text, 'reloaded', before, Date.now()),
        5_000,
        'v2 with its own reload',
      );
      step(`reloaded: ${v2.text}`);
      assert.equal(await waitForAnswer(port, '/', (b) => b === GREETING_V2, { what: 'the edited greeting', timeoutMs: 15_000 }), GREETING_V2);
      await shot('02-running-v2');

      // 3. A syntax error: Problems lists it at its line, the status bar says failed, v2 keeps serving.
      await typeInEditor(page, brokenGreetingFile(GREETING_V3), { selectAll: true });
      await save(page);
      const failed = await waitForStatus(page, (s) => s.icons.includes('error'), 30_000, 'the failed state');
      step(`build failed: ${failed.text}`);
      const m = /^v2 · (\d+) errors?$/.exec(failed.text);
      assert.ok(m, `failed state text: ${failed.text}`);
      const entries = await waitForProblem(page, /syntax error/, 15_000);
      const markers = entries.filter((e) => e.kind === 'marker');
      assert.equal(markers.length, Number(m[1]), `the status bar error count matches the Problems panel: ${JSON.stringify(markers)}`);
      const syntax = markers.find((e) => /syntax error/.test(e.message ?? ''));
      assert.ok(syntax, JSON.stringify(markers));
      assert.equal(syntax.severity, 'error');
      assert.equal(syntax.line, BROKEN_LINE, `the error is on line ${BROKEN_LINE}: ${JSON.stringify(syntax)}`);
      assert.equal(syntax.column, `return "${GREETING_V3}" `.length + 1, `column: ${JSON.stringify(syntax)}`);
      assert.equal(syntax.file, greetingPath);
      assert.match(syntax.message ?? '', /unexpected \)/);
      // The old version still serves.
      const still = await httpGetOrError(port, '/', 3000);
      assert.ok('body' in still && still.body.trim() === GREETING_V2, `v2 still answers after the failed build: ${JSON.stringify(still)}`);
      assert.deepEqual(programPids(ws), [Number(await waitForAnswer(port, '/pid', (b) => /^\d+$/.test(b), { what: 'the pid', timeoutMs: 5_000 }))]);
      await shot('03-failed-problems');

      // Fix it and save: Problems clears, v3 runs.
      await typeInEditor(page, greetingFile(GREETING_V3), { selectAll: true });
      await save(page);
      const v3 = await waitForStatus(page, (s) => s.icons.includes('zap') && /^v3 · /.test(s.text), 30_000, 'running v3');
      await eventually('the Problems panel to clear', async () => (await problemMarkers(page)).length === 0, { timeoutMs: 15_000, intervalMs: 300 });
      await waitForStatusBarItem(page, 'status.problems', /^0 0$/, 10_000);
      assert.equal(await waitForAnswer(port, '/', (b) => b === GREETING_V3, { what: 'the fixed greeting', timeoutMs: 15_000 }), GREETING_V3);
      step('fixed: Problems cleared, v3 serves');
      await shot('04-fixed-v3');

      // 4. Hot Reload: Restart from the palette: a new process.
      const pidBefore = Number(await waitForAnswer(port, '/pid', (b) => /^\d+$/.test(b), { what: 'the pid', timeoutMs: 5_000 }));
      before = Date.now();
      await runCommand(page, 'Hot Reload: Restart');
      const pidAfter = Number(
        await waitForAnswer(port, '/pid', (b) => /^\d+$/.test(b) && Number(b) !== pidBefore, { what: 'a new pid after Restart', timeoutMs: 30_000 }),
      );
      assert.notEqual(pidAfter, pidBefore);
      const restarted = await waitForStatus(
        page,
        (s) => s.icons.includes('zap') && s.text !== v3.text && reloadShown(s.text, 'reloaded', before, Date.now()),
        20_000,
        'running again, with the Restart as its last reload',
      );
      step(`restarted: pid ${pidBefore} → ${pidAfter}, ${restarted.text}`);
      await eventually(
        () => `only pid ${pidAfter} left (have ${programPids(ws).join()})`,
        () => programPids(ws).join() === String(pidAfter),
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      assert.equal(await waitForAnswer(port, '/', () => true, { what: 'the greeting after Restart', timeoutMs: 5_000 }), GREETING_V3);
      const runningVersion = /^v(\d+)/.exec(restarted.text)?.[1];
      assert.ok(runningVersion, restarted.text);

      // 5. Show Changes while the working tree differs from the running version (a build error keeps it from building).
      await openFile(page, 'greeting.go');
      await typeInEditor(page, brokenGreetingFile('not built'), { selectAll: true });
      await save(page);
      await waitForStatus(page, (s) => s.icons.includes('error'), 30_000, 'the failed state again');
      await runCommand(page, 'Hot Reload: Show Changes');
      const diff = page.locator('.part.editor .monaco-diff-editor').first();
      await diff.waitFor({ state: 'visible', timeout: 15_000 });
      const tab = (await page.locator('.part.editor .tab.active').first().innerText({ timeout: 5_000 })).replace(/\s+/g, ' ');
      assert.match(tab, new RegExp(`greeting\\.go \\(running v${runningVersion}\\)`), `diff tab title: ${tab}`);
      assert.match(tab, /saved file/, `diff tab title: ${tab}`);
      // Left: the running version's source; right: the saved file.
      const side = async (which: 'original' | 'modified') =>
        (await page.locator(`.part.editor .monaco-diff-editor .editor.${which} .view-lines`).first().innerText({ timeout: 2_000 })).replace(/\u00a0/g, ' ');
      let original = '';
      await eventually(
        () => `the running side of the diff to show "${GREETING_V3}" (it shows ${JSON.stringify(original)})`,
        async () => (original = await side('original')).includes(GREETING_V3),
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      assert.ok(!original.includes('not built'), `running side: ${original}`);
      const modified = await side('modified');
      assert.ok(modified.includes('"not built" )'), `working-tree side: ${modified}`);
      step(`Show Changes: ${tab}`);
      await shot('05-show-changes-diff');

      // 6. The program's output in the terminal "Hot Reload: <folder>" (Show Output reveals it).
      await runCommand(page, 'Hot Reload: Show Output');
      await scrollTerminalToBottom(page);
      const termName = `Hot Reload: ${folderName}`;
      await eventually(
        `a terminal named "${termName}" in the panel`,
        async () => {
          const names = await page.locator('.part.panel').getByText(termName).count();
          return names > 0;
        },
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      const termText = await waitForTerminalText(page, `hello: listening on :${port}`, 15_000);
      // Each version logs its address (four so far): the last ones are in view.
      assert.ok((termText.match(new RegExp(`hello: listening on :${port}`, 'g')) ?? []).length >= 2, termText);
      step('terminal shows the program output');
      await shot('06-terminal');

      // 7. Click the status bar item: off, port free, no program process left.
      await clickStatusItem(page);
      const stopped = await waitForStatus(page, isOff, 30_000, 'off after the click');
      assert.equal(stopped.text, 'Hot Reload');
      await waitForPortFree(port, 15_000);
      await eventually(
        () => `no process from ${buildsDirOf(ws)} (have ${programPids(ws).join()})`,
        () => programPids(ws).length === 0,
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      await scrollTerminalToBottom(page);
      await waitForTerminalText(page, '[hot reload] hot reload stopped', 10_000);
      step('stopped: port free, no program process');
      await shot('07-off');
    });
  },
);

test('restricted mode: an untrusted folder shows the shield and Hot Reload: Start runs nothing', { skip, timeout: 120_000 }, async (t) => {
  await withWorkbench(t, { prefix: 'trust', workspace: helloWorkspace, workspaceTrust: true }, async ({ page, ws, port, shot }) => {
    // The folder opens in Restricted Mode. Should VS Code ask whether to trust it first
    // (code-server 4.139 does not), the user says no.
    const noTrust = page.getByRole('button', { name: /No, I don't trust the authors|Don't Trust/i }).first();
    const restrictedMode = page.locator('.part.statusbar').getByText('Restricted Mode').first();
    await eventually(
      'Restricted Mode in the status bar',
      async () => {
        if (await noTrust.isVisible()) {
          await shot('01-prompt');
          await noTrust.click();
        }
        return restrictedMode.isVisible();
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    const restricted = await waitForStatus(page, (s) => s.icons.includes('shield'), 30_000, 'the restricted state (shield)');
    assert.equal(restricted.text, 'Hot Reload');
    await shot('02-restricted');

    await runCommand(page, 'Hot Reload: Start');
    const message = await waitForNotification(page, /only works in a trusted workspace/, 10_000);
    assert.match(message, /Hot Reload runs build commands and your program/);
    await shot('03-start-refused');
    // Nothing ran: no work dir, no build, no program, nothing on its port; the state stays restricted.
    await sleep(1500);
    assert.equal(fs.existsSync(path.join(ws, '.hotreload')), false, 'the engine made a work dir in an untrusted folder');
    assert.deepEqual(pidsWithCmdline(buildsDirOf(ws)), [], 'a program runs from the untrusted folder');
    assert.ok('error' in (await httpGetOrError(port, '/', 3000)), 'something answers on the program port');
    assert.ok((await statusItem(page))?.icons.includes('shield'));
    assert.equal(
      await page
        .locator('.part.panel')
        .getByText(`Hot Reload: ${path.basename(ws)}`)
        .count(),
      0,
      'a Hot Reload terminal was opened',
    );
  });
});
