/**
 * End to end for a Node program: the TypeScript example (Express, built with esbuild) opened in
 * the real VS Code workbench (code-server, headless Chromium) with the packaged extension, driven
 * only through the UI: click the status bar item, edit and save greeting.ts, see the new response;
 * break it, see esbuild's error in Problems at its line while the old version serves; fix it.
 *
 *   npm run package && npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/nodeHotReload.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFile, save, typeInEditor, waitForFileContent } from './editor';
import { clickStatusItem, waitForStatus } from './hotReloadStatus';
import { buildsDirOf, makeWorkspace, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { problemsPanelEntries, waitForProblem } from './problems';
import { waitForTerminalText } from './terminal';
import { httpGetOrError } from '../support/http';
import { installedDependencies } from '../support/nodeExamples';
import { pidsWithCmdline } from '../support/processes';
import { eventually } from '../support/waiting';

/** The TypeScript example with its dependencies (installed once with npm) linked in. */
function nodeWorkspace(port: number): string {
  const ws = makeWorkspace('node-ts', port, { example: 'node-ts' });
  fs.symlinkSync(installedDependencies('node-ts')!, path.join(ws, 'node_modules'), 'dir');
  return ws;
}

/** `node … <work dir>/builds/bN/server.cjs`: the program, not the supervisor's reaper that names it, nor the esbuild worker. */
function nodePids(ws: string): number[] {
  return pidsWithCmdline(buildsDirOf(ws)).filter((pid) => {
    try {
      const [executable, ...args] = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return path.basename(executable) === 'node' && args.some((a) => a.includes(buildsDirOf(ws)) && a.endsWith('.cjs'));
    } catch {
      return false;
    }
  });
}

/** Typed as the Go e2e test types: no indentation, a brace, the body, the closing brace. */
const greetingFile = (text: string) => `/** What the service answers. */\nexport function greeting(): string {\nreturn '${text}';\n}\n`;
/** Line 3, `return '…' +;`: esbuild says Unexpected ";" at the semicolon. */
const brokenGreetingFile = (text: string) => `/** What the service answers. */\nexport function greeting(): string {\nreturn '${text}' +;\n}\n`;

test(
  'a TypeScript service through the UI: start from the status bar, edit → new response, an esbuild error in Problems, fixed',
  { skip, timeout: 240_000 },
  async (t) => {
    await withWorkbench(t, { prefix: 'node', workspace: nodeWorkspace }, async ({ page, ws, port, shot, step }) => {
      const greetingPath = path.join(ws, 'src', 'greeting.ts');
      // withWorkbench saw the extension activate on package.json and show its status bar item, off.

      await clickStatusItem(page);
      const v1 = await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 90_000, 'running v1');
      step(`running: ${v1.text}`);
      assert.equal(
        await waitForAnswer(port, '/', (b) => b === 'hello from TypeScript', { what: 'the first greeting', timeoutMs: 20_000 }),
        'hello from TypeScript',
      );
      const pid1 = Number(await waitForAnswer(port, '/pid', (b) => /^\d+$/.test(b), { what: 'the pid', timeoutMs: 5_000 }));
      assert.deepEqual(nodePids(ws), [pid1], 'node runs the bundle built in the work dir, alone');
      await waitForTerminalText(page, /node-ts: serving on :\d+/, 15_000);
      await shot('01-running-v1');

      await openFile(page, 'src/greeting.ts');
      await typeInEditor(page, greetingFile('hello from the editor'), { selectAll: true });
      await save(page);
      await waitForFileContent(greetingPath, (c) => c === greetingFile('hello from the editor'), 5_000);
      const v2 = await waitForStatus(page, (s) => s.icons.includes('zap') && /^v2 · /.test(s.text), 30_000, 'running v2');
      step(`reloaded: ${v2.text}`);
      assert.equal(
        await waitForAnswer(port, '/', (b) => b === 'hello from the editor', { what: 'the edited greeting', timeoutMs: 15_000 }),
        'hello from the editor',
      );
      await shot('02-running-v2');

      await typeInEditor(page, brokenGreetingFile('never served'), { selectAll: true });
      await save(page);
      const failed = await waitForStatus(page, (s) => s.icons.includes('error'), 30_000, 'the failed state');
      step(`build failed: ${failed.text}`);
      assert.match(failed.text, /^v2 · 1 error$/);
      const entries = await waitForProblem(page, /Unexpected ";"/, 15_000);
      const marker = entries.find((e) => e.kind === 'marker' && /Unexpected ";"/.test(e.message ?? ''));
      assert.ok(marker, JSON.stringify(entries));
      assert.equal(marker.file, greetingPath);
      assert.equal(marker.line, 3);
      assert.equal(marker.column, "return 'never served' +".length + 1);
      assert.match(marker.source ?? marker.text, /esbuild/);
      const still = await httpGetOrError(port, '/', 3000);
      assert.ok('body' in still && still.body === 'hello from the editor', `v2 still answers: ${JSON.stringify(still)}`);
      await shot('03-esbuild-error-in-problems');

      await typeInEditor(page, greetingFile('fixed in the editor'), { selectAll: true });
      await save(page);
      await waitForStatus(page, (s) => s.icons.includes('zap') && /^v3 · /.test(s.text), 30_000, 'running v3');
      // Only Hot Reload's markers: the editor's own TypeScript service may have its say about the project.
      const ours = async () => (await problemsPanelEntries(page)).filter((e) => e.kind === 'marker' && /hot reload/.test(e.source ?? e.text));
      await eventually('Hot Reload’s problem to clear', async () => (await ours()).length === 0, {
        timeoutMs: 15_000,
        intervalMs: 300,
      });
      assert.equal(
        await waitForAnswer(port, '/', (b) => b === 'fixed in the editor', { what: 'the fixed greeting', timeoutMs: 15_000 }),
        'fixed in the editor',
      );
      await shot('04-fixed-v3');
      step('fixed: Problems cleared, v3 serves');
    });
  },
);
