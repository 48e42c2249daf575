/**
 * End to end, more of the product through the UI of the real VS Code workbench
 * (code-server, headless Chromium) with the packaged hot-reload.vsix:
 *
 * 1. a module with several main packages: the quick pick "which program?",
 *    the choice remembered for the folder, and Hot Reload: Select Target;
 * 2. the program's stdin: a line typed in the terminal "Hot Reload: <folder>"
 *    reaches the program, which prints it back;
 * 3. the engine (the language server process) killed with SIGKILL: the
 *    warning, the program back on its port, no orphan of the killed engine,
 *    and the terminal still wired to the new engine; after 5 crashes (when
 *    vscode-languageclient stops restarting it) Hot Reload: Start still works.
 *
 * Only clicks, the command palette and typing drive the editor; the programs
 * are observed through HTTP and /proc.
 *
 *   bash scripts/install-e2e.sh && npm run package
 *   npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/hotReloadMore.test.js
 *
 * Screenshots: test-results/e2e/screenshots/more-*.png. Missing tooling (or Go) skips, unless HOTRELOAD_E2E_REQUIRED=1.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VSCodeHandle } from './codeServer';
import { clickStatusItem, isOff, isRunning, waitForStatus } from './hotReloadStatus';
import { makeWorkspace, programPids, skip, waitForAnswer, withWorkbench } from './hotReloadUi';
import { notifications, waitForNotification } from './notifications';
import type { Page } from './playwright';
import { pickQuickPickItem, quickInputTitle, runCommand, runCommandToQuickPick, waitForQuickPick } from './quickInput';
import { waitForTerminalText } from './terminal';
import { isAlive } from '../../src/engine/processes/processTree';
import { httpGetOrError } from '../support/http';
import { waitForPortFree } from '../support/ports';
import { pidsWithCmdline } from '../support/processes';
import { eventually } from '../support/waiting';

const ENGINE_WARNING = 'The Hot Reload engine stopped unexpectedly; it was restarted.';

// ----------------------------------------------------------------------------
// The Go programs. No indentation needed: go builds it as it is.

/** An HTTP server on $PORT answering `name` on / and its pid on /pid. */
const namedServer = (name: string) => `package main

import (
\t"fmt"
\t"log"
\t"net/http"
\t"os"
)

func main() {
\taddr := ":" + os.Getenv("PORT")
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "${name}") })
\thttp.HandleFunc("/pid", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, os.Getpid()) })
\tlog.Printf("${name}: listening on %s", addr)
\tlog.Fatal(http.ListenAndServe(addr, nil))
}
`;

const NOTHING_YET = '(nothing yet)';

/** Reads lines from stdin: prints "got: <line>" for each and serves the last one on /last (its pid on /pid). */
const stdinServer = `package main

import (
\t"bufio"
\t"fmt"
\t"log"
\t"net/http"
\t"os"
\t"sync"
)

var (
\tmu   sync.Mutex
\tlast = "${NOTHING_YET}"
)

func main() {
\tgo func() {
\t\tscanner := bufio.NewScanner(os.Stdin)
\t\tfor scanner.Scan() {
\t\t\tline := scanner.Text()
\t\t\tmu.Lock()
\t\t\tlast = line
\t\t\tmu.Unlock()
\t\t\tfmt.Printf("got: %s\\n", line)
\t\t}
\t}()
\taddr := ":" + os.Getenv("PORT")
\thttp.HandleFunc("/last", func(w http.ResponseWriter, r *http.Request) {
\t\tmu.Lock()
\t\tdefer mu.Unlock()
\t\tfmt.Fprintln(w, last)
\t})
\thttp.HandleFunc("/pid", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, os.Getpid()) })
\tlog.Printf("stdin: listening on %s", addr)
\tlog.Fatal(http.ListenAndServe(addr, nil))
}
`;

// ----------------------------------------------------------------------------
// Observing the program and the workbench.

const answerPid = async (port: number, what: string, timeout = 10_000) =>
  Number(await waitForAnswer(port, '/pid', (b) => /^\d+$/.test(b), { what, timeoutMs: timeout }));

/** The engine of this launch: node running dist/server.js from the launch's own extensions dir. */
function enginePids(vs: VSCodeHandle): number[] {
  return pidsWithCmdline(vs.extensionsDir).filter((pid) => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .some((arg) => arg.endsWith(`${path.sep}dist${path.sep}server.js`));
    } catch {
      return false;
    }
  });
}

/**
 * Waits until the program answers /pid with a pid other than `old` (it came back as a new process)
 * and returns it; -1 as soon as `failed()` says the attempt failed.
 */
async function newProgramPid(port: number, old: number, what: () => string, failed: () => Promise<boolean> = async () => false): Promise<number> {
  return eventually(
    what,
    async () => {
      if (await failed()) return -1;
      const r = await httpGetOrError(port, '/pid', 1000);
      const pid = 'body' in r && r.status === 200 ? Number(r.body) : 0;
      return pid && pid !== old ? pid : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 150 },
  );
}

/** Types a line into the focused terminal, key by key, and presses Enter. */
async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line, { delay: 15 });
  await page.keyboard.press('Enter');
}

/** Shows the program's terminal with Hot Reload: Show Output and waits until it has the keyboard focus. */
async function focusProgramTerminal(page: Page, folderName: string): Promise<void> {
  await runCommand(page, 'Hot Reload: Show Output');
  const name = `Hot Reload: ${folderName}`;
  await eventually(`a terminal named "${name}" in the panel`, async () => (await page.locator('.part.panel').getByText(name).count()) > 0, {
    timeoutMs: 10_000,
    intervalMs: 200,
  });
  let where = '';
  await eventually(
    () => `the keyboard focus in the terminal "${name}" (it is on ${where})`,
    async () => {
      where = await page.evaluate<string>(
        `(() => { const a = document.activeElement; return a ? (a.className || a.tagName) + (a.closest('.part.panel .terminal-wrapper.active') ? ' in the active terminal' : '') : 'nothing'; })()`,
      );
      return where.includes('xterm-helper-textarea') && where.includes('in the active terminal');
    },
    { timeoutMs: 10_000, intervalMs: 200 },
  );
}

// ----------------------------------------------------------------------------

const WHICH_PROGRAM = /^Hot Reload: which program in multi\?$/;

/** Waits until the status bar says off, the port is free and no program process is left. */
async function waitForStopped(page: Page, ws: string, port: number): Promise<void> {
  await waitForStatus(page, isOff, 30_000, 'off');
  await waitForPortFree(port, 15_000);
  await eventually(
    () => `no program process after stopping (have ${programPids(ws).join()})`,
    () => programPids(ws).length === 0,
    { timeoutMs: 10_000, intervalMs: 200 },
  );
}

/** After a start: waits for the first answer on / while checking that no "which program" quick pick shows meanwhile. */
async function answerWithoutQuickPick(page: Page, port: number, after: string): Promise<string> {
  const titles: string[] = [];
  const asked = () => titles.some((x) => WHICH_PROGRAM.test(x));
  const seen = await eventually(
    () => `an answer after ${after} (quick inputs seen: ${JSON.stringify(titles)})`,
    async () => {
      const title = await quickInputTitle(page);
      if (title !== undefined) titles.push(title);
      if (asked()) return { body: undefined }; // stop waiting: that is the failure
      const r = await httpGetOrError(port, '/', 1000);
      return 'body' in r && r.status === 200 ? { body: r.body.trim() } : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  assert.ok(!asked() && seen.body !== undefined, `${after} asked again which program: ${JSON.stringify(titles)}`);
  return seen.body;
}

test('several main packages: the quick pick, the choice remembered for the folder, Select Target', { skip, timeout: 150_000 }, async (t) => {
  const files = { 'cmd/api/main.go': namedServer('api'), 'cmd/worker/main.go': namedServer('worker') };
  await withWorkbench(t, { prefix: 'more-multi', workspace: (port) => makeWorkspace('multi', port, { files }) }, async ({ page, ws, port, shot, step }) => {
    // 1. Start from the status bar: the engine finds two main packages and the extension asks which one.
    await clickStatusItem(page);
    const items = await waitForQuickPick(page, WHICH_PROGRAM, 30_000);
    assert.deepEqual(
      [...items].sort(),
      ['./cmd/api', './cmd/worker', 'Run them all'],
      `the quick pick lists both main packages, and all of them: ${JSON.stringify(items)}`,
    );
    assert.ok('error' in (await httpGetOrError(port, '/', 3000)), 'nothing runs while the user has not picked');
    assert.deepEqual(programPids(ws), []);
    step(`quick pick: ${JSON.stringify(items)}`);
    await shot('01-which-program');

    // Pick ./cmd/worker by typing it and pressing Enter: the worker answers.
    await pickQuickPickItem(page, './cmd/worker');
    assert.equal(await waitForAnswer(port, '/', (b) => b === 'worker', { what: '"worker"', timeoutMs: 60_000 }), 'worker');
    await waitForStatus(page, isRunning, 20_000, 'running');
    const worker1 = await answerPid(port, 'the worker pid');
    assert.deepEqual(programPids(ws), [worker1], 'one program, the one answering');
    step(`worker runs (pid ${worker1})`);
    await shot('02-worker-running');

    // 2. Stop (palette), then Start again (status bar): no quick pick, the worker again.
    await runCommand(page, 'Hot Reload: Stop');
    await waitForStopped(page, ws, port);
    step('stopped');
    await clickStatusItem(page);
    assert.equal(await answerWithoutQuickPick(page, port, 'Start again'), 'worker', 'the remembered target runs');
    await waitForStatus(page, isRunning, 20_000, 'running again');
    const worker2 = await answerPid(port, 'the worker pid after Start again');
    assert.notEqual(worker2, worker1);
    assert.deepEqual(programPids(ws), [worker2]);
    step(`worker again without a quick pick (pid ${worker2})`);
    await shot('03-worker-remembered');

    // 3. Hot Reload: Select Target → ./cmd/api: the api replaces the worker on the port.
    const items2 = await runCommandToQuickPick(page, 'Hot Reload: Select Target', /^Hot Reload: Select Target for multi$/);
    assert.deepEqual(
      items2.filter((i) => i.startsWith('./')),
      ['./cmd/api', './cmd/worker'],
      `the programs, then where they run: ${JSON.stringify(items2)}`,
    );
    assert.ok(items2.includes('This machine'), `this machine is offered: ${JSON.stringify(items2)}`);
    step('Select Target shows the quick pick');
    await shot('04-select-target');
    await pickQuickPickItem(page, './cmd/api');
    step('picked ./cmd/api');
    assert.equal(await waitForAnswer(port, '/', (b) => b === 'api', { what: '"api" after Select Target', timeoutMs: 60_000 }), 'api');
    await waitForStatus(page, isRunning, 20_000, 'running the api');
    const api = await answerPid(port, 'the api pid');
    await eventually(
      () => `only the api (pid ${api}) left (have ${programPids(ws).join()})`,
      () => programPids(ws).join() === String(api),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    assert.equal(isAlive(worker2), false, 'the worker was stopped');
    step(`api runs (pid ${api})`);
    await shot('05-api-running');

    // 4. The new choice is the remembered one: Stop (status bar), Start (palette) → the api, no quick pick.
    await clickStatusItem(page);
    await waitForStopped(page, ws, port);
    await runCommand(page, 'Hot Reload: Start');
    assert.equal(await answerWithoutQuickPick(page, port, 'Hot Reload: Start'), 'api', 'the target picked with Select Target is remembered');
    await waitForStatus(page, isRunning, 20_000, 'running the api again');
    assert.deepEqual(programPids(ws), [await answerPid(port, 'the api pid')]);
    step('api again without a quick pick');
  });
});

test("program stdin: a line typed in the program's terminal reaches the program", { skip, timeout: 120_000 }, async (t) => {
  await withWorkbench(
    t,
    { prefix: 'more-stdin', workspace: (port) => makeWorkspace('stdin', port, { files: { 'main.go': stdinServer } }) },
    async ({ page, ws, port, shot, step }) => {
      await clickStatusItem(page);
      await waitForStatus(page, isRunning, 60_000, 'running v1');
      assert.equal(await waitForAnswer(port, '/last', (b) => b === NOTHING_YET, { what: 'the program', timeoutMs: 20_000 }), NOTHING_YET);
      const pid = await answerPid(port, 'the pid');
      assert.deepEqual(programPids(ws), [pid]);
      step(`running (pid ${pid})`);

      // Hot Reload: Show Output focuses the terminal "Hot Reload: stdin"; type a line and Enter.
      await focusProgramTerminal(page, 'stdin');
      await page.keyboard.type('hello stdin', { delay: 15 });
      // Echoed as typed (the terminal does the line editing), and not sent before Enter.
      await waitForTerminalText(page, /hello stdin$/, 5_000);
      assert.equal(
        await waitForAnswer(port, '/last', () => true, { what: '/last', timeoutMs: 5_000 }),
        NOTHING_YET,
        'the line went to the program before Enter',
      );
      await shot('01-typed');
      await page.keyboard.press('Enter');
      assert.equal(await waitForAnswer(port, '/last', (b) => b === 'hello stdin', { what: 'the typed line', timeoutMs: 10_000 }), 'hello stdin');
      const text = await waitForTerminalText(page, /^got: hello stdin$/m, 10_000);
      step('the program got the line');

      // Line editing: Backspace takes back a character before the line is sent.
      await page.keyboard.type('second linX', { delay: 15 });
      await page.keyboard.press('Backspace');
      await typeLine(page, 'e');
      assert.equal(await waitForAnswer(port, '/last', (b) => b === 'second line', { what: 'the edited line', timeoutMs: 10_000 }), 'second line');
      const text2 = await waitForTerminalText(page, /^got: second line$/m, 10_000);
      assert.ok(!/got: second linX/.test(text2), text2);
      // The first line was echoed once and answered once.
      assert.equal((text.match(/^got: hello stdin$/gm) ?? []).length, 1, text);
      assert.equal(await answerPid(port, 'the same pid'), pid, 'the same process read both lines');
      step('line editing works');
      await shot('02-got-lines');
    },
  );
});

test(
  'engine crash: the language server killed with SIGKILL is restarted, the program comes back, no orphan; after 5 crashes Start still works',
  { skip, timeout: 150_000 },
  async (t) => {
    await withWorkbench(
      t,
      { prefix: 'more-crash', workspace: (port) => makeWorkspace('crash', port, { files: { 'main.go': stdinServer } }) },
      async ({ vs, page, ws, port, shot, step }) => {
        await clickStatusItem(page);
        await waitForStatus(page, isRunning, 60_000, 'running v1');
        await waitForAnswer(port, '/last', (b) => b === NOTHING_YET, { what: 'the program', timeoutMs: 20_000 });
        const pid1 = await answerPid(port, 'the pid');
        assert.deepEqual(programPids(ws), [pid1]);
        const engines = enginePids(vs);
        assert.equal(engines.length, 1, `one engine process of this launch: ${JSON.stringify(engines)}`);
        const engine1 = engines[0];
        step(`running (pid ${pid1}), engine pid ${engine1}`);
        await shot('01-running');

        // Kill the engine the hard way: it cannot stop its program.
        const killedAt = Date.now();
        process.kill(engine1, 'SIGKILL');
        await eventually(`engine ${engine1} to die`, () => !isAlive(engine1), { timeoutMs: 5_000, intervalMs: 200 });
        const warning = await waitForNotification(page, ENGINE_WARNING, 30_000);
        step(`warning after ${Date.now() - killedAt} ms: ${warning}`);
        await shot('02-engine-restarted-warning');

        // A new engine; the program answers again, started by it (the killed engine's one is stopped).
        const engine2 = await eventually(
          () => `a new engine process (have ${enginePids(vs).join()})`,
          () => enginePids(vs).find((p) => p !== engine1),
          { timeoutMs: 30_000, intervalMs: 200 },
        );
        const pid2 = await newProgramPid(port, pid1, () => `the program to answer again with a new pid (old ${pid1}; programs ${programPids(ws).join()})`);
        const back = Date.now() - killedAt;
        step(`program back after ${back} ms: pid ${pid1} → ${pid2}, engine ${engine1} → ${engine2}`);
        assert.ok(back < 60_000);
        await waitForStatus(page, isRunning, 20_000, 'running after the engine restart');

        // After a while: exactly one program process, the one answering; the killed engine's program is gone.
        await sleep(3000);
        await eventually(
          () => `only pid ${pid2} (have ${programPids(ws).join()})`,
          () => programPids(ws).join() === String(pid2),
          { timeoutMs: 10_000, intervalMs: 200 },
        );
        assert.equal(isAlive(pid1), false, `the killed engine's program ${pid1} is still alive`);
        assert.deepEqual(enginePids(vs), [engine2], 'one engine');
        assert.equal(await answerPid(port, 'the pid'), pid2);
        // The killed engine's supervisor stopped its program by itself (nothing was left for the new
        // engine to clean up); the log says what happened (Hot Reload: Show Reload Log).
        await runCommand(page, 'Hot Reload: Show Reload Log');
        const reaped = /The Hot Reload engine stopped unexpectedly and was restarted/;
        let logText = '';
        await eventually(
          () => `the Hot Reload log to say the engine was restarted (it shows ${JSON.stringify(logText.slice(-600))})`,
          async () => {
            // The Output view wraps long lines: read its rows as one text.
            const rows = await page.locator('.part.panel .monaco-editor .view-lines').allInnerTexts();
            logText = rows.join(' ').replace(/[\s\u00a0]+/g, ' ');
            return reaped.test(logText);
          },
          { timeoutMs: 10_000, intervalMs: 250 },
        );
        step(`the log says the engine was restarted; pid ${pid1} went with the killed engine`);
        await shot('03-log-orphan-stopped');

        // The extension talks to the new engine: a line typed in the terminal reaches the new program and its answer shows.
        await focusProgramTerminal(page, 'crash');
        await runCommand(page, 'Terminal: Scroll to Bottom');
        await focusProgramTerminal(page, 'crash');
        await typeLine(page, 'after the crash');
        assert.equal(
          await waitForAnswer(port, '/last', (b) => b === 'after the crash', { what: 'the line typed after the crash', timeoutMs: 10_000 }),
          'after the crash',
        );
        const text = await waitForTerminalText(page, /^got: after the crash$/m, 10_000);
        assert.equal((text.match(/^got: after the crash$/gm) ?? []).length, 1, `the program's output shows once: ${text}`);
        step('terminal wired to the new engine');
        await shot('04-recovered');
        // Nothing was left: still one program.
        assert.deepEqual(programPids(ws), [pid2]);

        // The language client restarts a crashing engine 4 times in 3 minutes, then gives up. Kill it
        // 4 more times (5 crashes): after that, Hot Reload: Start must still work (it used to fail with
        // "Client is not running" until the window was reloaded) and stop what the last engine left.
        let engine = engine2;
        let program = pid2;
        for (let crash = 2; crash <= 5; crash++) {
          const killed = engine;
          process.kill(killed, 'SIGKILL');
          await eventually(`engine ${killed} to die`, () => !isAlive(killed), { timeoutMs: 5_000, intervalMs: 200 });
          if (crash === 5) break;
          engine = await eventually(
            () => `engine ${crash + 1} (have ${enginePids(vs).join()})`,
            () => enginePids(vs).find((p) => p !== killed),
            { timeoutMs: 30_000, intervalMs: 200 },
          );
          const before = program;
          program = await newProgramPid(port, before, () => `the program after crash ${crash} (old ${before}; programs ${programPids(ws).join()})`);
        }
        const gaveUp = await waitForNotification(page, /crashed 5 times in the last 3 minutes\. The server will not be restarted/, 15_000);
        step(`after 5 crashes: ${gaveUp}`);
        await sleep(1000);
        assert.deepEqual(enginePids(vs), [], 'the language client restarted the engine a 5th time');
        await shot('05-gave-up');

        await runCommand(page, 'Hot Reload: Start');
        const before = program;
        const pid3 = await newProgramPid(
          port,
          before,
          () => `a new program after Hot Reload: Start (old ${before}; programs ${programPids(ws).join()}; engines ${enginePids(vs).join()})`,
          async () => (await notifications(page)).some((n) => /Client is not running/.test(n)),
        );
        assert.notEqual(pid3, -1, `Hot Reload: Start failed: ${JSON.stringify(await notifications(page))}`);
        await waitForStatus(page, isRunning, 20_000, 'running after Start');
        await eventually(
          () => `only pid ${pid3} (have ${programPids(ws).join()})`,
          () => programPids(ws).join() === String(pid3),
          { timeoutMs: 10_000, intervalMs: 200 },
        );
        assert.equal(isAlive(program), false, `the last killed engine's program ${program} is still alive`);
        assert.equal(enginePids(vs).length, 1, 'one engine');
        step(`started again after the give-up: pid ${pid3}`);
        await shot('06-started-after-give-up');
      },
    );
  },
);
