/**
 * End to end: a build made before the save, in the real VS Code workbench (code-server, headless
 * Chromium) with the packaged hot-reload.vsix. The editor sends the buffer's unsaved text to the
 * engine; a pause in typing builds it; the save deploys that build, and says so.
 *
 *   bash scripts/install-e2e.sh && npm run package
 *   npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/buildBeforeSave.test.js
 *
 * Screenshots: test-results/e2e/screenshots/before-save-*.png. Missing tooling (or Go) skips, unless HOTRELOAD_E2E_REQUIRED=1.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eSkip, freePort, launchVSCode, openFile, requireE2eTooling, save, screenshot, typeInEditor, waitForTerminalText } from './codeServer';
import {
  clearScreenshots,
  clickStatusItem,
  ensureVsix,
  goEnv,
  keepEvidence,
  programPids,
  removeWorkspace,
  repoRoot,
  screenshotsDir,
  waitForAnswer,
  waitForStatus,
} from './hotReloadUi';

const go = goEnv();
const extraMissing = go ? [] : ['the Go toolchain (`go` on PATH)'];
const skip = e2eSkip(extraMissing);

/** gofmt-clean without indentation (the editor's auto-indent would add its own). */
const greetingFile = (text: string) => `package main\n\n// greeting is what the service answers.\nfunc greeting() string { return "${text}" }\n`;
const TYPED = 'built while you paused';

test('build before the save: typed, a pause, saved: the build made during the pause is what runs', { skip, timeout: 180_000 }, async (t) => {
  requireE2eTooling(extraMissing);
  const vsix = ensureVsix();
  clearScreenshots('before-save-');
  const port = await freePort();
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hre2e-ws-'));
  const ws = path.join(parent, 'hello');
  fs.cpSync(path.join(repoRoot, 'examples', 'hello'), ws, { recursive: true, filter: (src) => !/[\\/]\.hotreload([\\/]|$)/.test(src) });
  fs.mkdirSync(path.join(ws, '.vscode'));
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'hotReload.env': { PORT: String(port) } }));
  const t0 = Date.now();
  const step = (what: string) => console.log(`# +${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
  const vs = await launchVSCode({ workspace: ws, vsix, screenshotsDir, env: go });
  const { page } = vs;
  let left: number[] | undefined;
  try {
    await waitForStatus(page, (s) => s.icons.includes('debug-start'), 30_000, 'off');
    await clickStatusItem(page);
    await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 60_000, 'running v1');
    await waitForAnswer(port, '/', (b) => b === 'hello, world', 20_000, 'the first greeting');
    step('running v1');

    await openFile(page, 'greeting.go');
    await typeInEditor(page, greetingFile(TYPED), { selectAll: true });
    // The pause: the engine builds the unsaved text in the background, and shows nothing of it.
    const speculative = path.join(ws, '.hotreload', 'speculative');
    await waitForAnswer(port, '/', (b) => b === 'hello, world', 5_000, 'v1, still');
    await new Promise((r) => setTimeout(r, 300));
    let built = false;
    for (let waited = 0; waited < 60_000 && !built; waited += 250) {
      built = fs.existsSync(speculative) && fs.readdirSync(speculative).some((d) => fs.existsSync(path.join(speculative, d, 'hello')));
      if (!built) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(built, 'a build of the unsaved text was made during the pause');
    assert.equal(await waitForAnswer(port, '/', () => true, 5_000, 'the greeting'), 'hello, world', 'nothing deployed before the save');
    step('built during the pause');
    await save(page);
    await waitForStatus(page, (s) => s.icons.includes('zap') && /^v2 · /.test(s.text), 30_000, 'running v2');
    assert.equal(await waitForAnswer(port, '/', (b) => b === TYPED, 15_000, 'the typed greeting'), TYPED);
    const terminal = await waitForTerminalText(page, /v2 restarted · (save|change) · .*made before the save/, 15_000);
    step(`saved: ${/v2 restarted[^\n]*/.exec(terminal)?.[0] ?? ''}`);
    await screenshot(page, 'before-save-01-v2');
  } catch (e) {
    await keepEvidence(vs, 'before-save');
    throw e;
  } finally {
    await vs.close();
    left = programPids(ws);
    removeWorkspace(ws);
  }
  assert.deepEqual(left, [], 'program processes left after closing the editor');
  t.diagnostic(`took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
