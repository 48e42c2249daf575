/**
 * End to end in the real VS Code workbench (code-server, headless Chromium, the packaged .vsix),
 * issue 11 items 1 and 3: feedback that tells the truth.
 *
 * 1. The proxy strategy on a program that listens on a fixed port itself (the proxy's): the status
 *    bar says "port N in use" instead of "crashed", Problems has the reason and the two fixes on
 *    the line naming the port, the log says it, and the proxy answers a 503 saying why at once.
 *    Once the program reads PORT it serves.
 * 2. Hot Reload: Restart with nothing changed starts the same executable again without a build,
 *    and the log and the terminal say so; after a change that did not build, Restart builds and
 *    the log names the file.
 *
 *   npm run package && npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/fixedPortAndRestart.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForStatus } from './hotReloadStatus';
import { makeWorkspace, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { waitForProblem } from './problems';
import { runCommand } from './quickInput';
import { waitForTerminalText } from './terminal';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

/** A web program listening on `listen` (a Go expression); like many, it prints the error and exits 0. */
const webApp = (listen: string) => `package main

import (
\t"fmt"
\t"net/http"
\t"os"
)

func main() {
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "my app") })
\thttp.HandleFunc("/pid", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, os.Getpid()) })
\tif err := http.ListenAndServe(${listen}, nil); err != nil {
\t\tfmt.Fprintln(os.Stderr, err)
\t}
}
`;
const LISTEN_LINE = 12;

/** The "Hot Reload" log channel as VS Code writes it to disk under the user data dir. */
function hotReloadLog(userDataDir: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'Hot Reload.log' || /^\d+-Hot Reload\.log$/.test(entry.name)) found.push(full);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

async function waitForLog(userDataDir: string, match: RegExp, timeoutMs = 30_000): Promise<string> {
  return eventually(
    () => `the Hot Reload log to say ${String(match)} (it has:\n${hotReloadLog(userDataDir).slice(-2000)})`,
    () => (match.test(hotReloadLog(userDataDir)) ? hotReloadLog(userDataDir) : undefined),
    { timeoutMs, intervalMs: 500 },
  );
}

const FIXES = 'make it read PORT, or set strategy to restart or handoff';

test('proxy with a program on a fixed port: status bar, Problems, log and a 503 say what happened and the fixes', { skip }, async (t) => {
  let ws = '';
  await withWorkbench(
    t,
    {
      prefix: 'fixedport',
      workspace: (port) => {
        ws = makeWorkspace('fixedport', port, { files: { 'main.go': webApp(`":${port}"`) } });
        fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'hotReload.strategy': 'proxy', 'hotReload.proxyPort': port }, null, 2));
        return ws;
      },
    },
    async ({ vs, page, port, shot, step }) => {
      await runCommand(page, 'Hot Reload: Start');
      const status = await waitForStatus(page, (s) => s.icons.includes('flame') && s.text.includes(`port ${port} in use`), 120_000, `"port ${port} in use"`);
      assert.equal(status.text, `Hot Reload: port ${port} in use`);
      step('the status bar names the port');

      const entries = await waitForProblem(page, `could not listen on port ${port}: address already in use`, 30_000);
      const marker = entries.find((e) => e.kind === 'marker' && e.text.includes('could not listen'));
      assert.ok(marker?.text.includes(FIXES), marker?.text);
      assert.equal(marker?.line, LISTEN_LINE, 'on the line that names the port');
      await shot('problem');

      await waitForLog(
        vs.userDataDir,
        new RegExp(`v1 failed to start: v1 could not listen on port ${port}: address already in use \\(the proxy listens there\\)\\..*${FIXES}`),
      );

      const answer = await httpGet(port, '/', 20_000);
      assert.equal(answer.status, 503);
      assert.match(answer.body, new RegExp(`^hotreload proxy: the program is not serving: v1 could not listen on port ${port}`));
      step('the proxy answers 503 with the reason');

      // The first fix: read PORT. Saved on disk, the watcher rebuilds; the proxy serves it.
      fs.writeFileSync(path.join(ws, 'main.go'), webApp('":" + os.Getenv("PORT")'));
      await waitForAnswer(port, '/', (body) => body === 'my app', { what: 'the fixed program through the proxy', timeoutMs: 120_000 });
      await waitForStatus(page, (s) => s.icons.includes('zap') && s.text.startsWith('v2 '), 30_000, 'v2 running');
      await shot('fixed');
    },
  );
});

test('Restart with nothing changed starts the same executable without a build; after a failed change it builds and names the file', { skip }, async (t) => {
  let ws = '';
  await withWorkbench(
    t,
    {
      prefix: 'restartreuse',
      workspace: (port) => (ws = makeWorkspace('restartreuse', port, { files: { 'main.go': webApp('":" + os.Getenv("PORT")') } })),
    },
    async ({ vs, page, port, shot, step }) => {
      await runCommand(page, 'Hot Reload: Start');
      await waitForStatus(page, (s) => s.icons.includes('zap') && s.text.startsWith('v1 '), 120_000, 'v1 running');
      const first = Number(await waitForAnswer(port, '/pid', () => true, { what: 'v1', timeoutMs: 60_000 }));
      const executable = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      const v1 = executable(first);

      await runCommand(page, 'Hot Reload: Restart');
      const second = Number(await waitForAnswer(port, '/pid', (body) => Number(body) !== first, { what: 'a new process', timeoutMs: 60_000 }));
      assert.equal(executable(second), v1, 'the same executable started again');
      await waitForLog(vs.userDataDir, /restart: no source changed since v1 was built, so it starts again without a build/);
      await waitForLog(vs.userDataDir, /v1 restarted · manual · \d+ ms \(detect \d+ · no build: sources unchanged · /);
      await runCommand(page, 'Hot Reload: Show Output');
      await waitForTerminalText(page, /v1 restarted · manual · .*no build: sources unchanged/, 30_000);
      await waitForStatus(page, (s) => s.icons.includes('zap') && s.text.startsWith('v1 '), 30_000, 'still v1');
      await shot('reused');
      step('restart without a build');

      // A change that does not build: v1 keeps serving, and main.go differs from it. Restart builds.
      fs.writeFileSync(path.join(ws, 'main.go'), webApp('":" + os.Getenv("PORT")').replace('"my app"', '"my app" +'));
      await waitForStatus(page, (s) => s.icons.includes('error'), 120_000, 'the failed build');
      await runCommand(page, 'Hot Reload: Restart');
      await waitForLog(vs.userDataDir, /restart: building, as main\.go changed since v1 was built/);
      await waitForLog(vs.userDataDir, /v1 build-failed · manual · .*main\.go/);
      assert.equal(executable(Number((await httpGet(port, '/pid')).body)), v1, 'v1 still serves');
    },
  );
});
