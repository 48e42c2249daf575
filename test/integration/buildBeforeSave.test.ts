/**
 * Builds before the save, through the real language server, the real Go toolchain and a real
 * program: an editor opens and types into a buffer, pauses, then saves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { ReportNotification } from '../../src/protocol';
import { autogroupNiceOf, backgroundBuilds, EditorClient, niceOf } from './editorClient';
import { copyExample } from '../support/examples';
import { withWrappedGo } from '../support/goOnPath';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesUnder } from '../support/processes';
import { eventually } from '../support/waiting';

interface Editor {
  dir: string;
  port: number;
  client: EditorClient;
  greeting: string;
  /** Waits for the next background build to start and finish. */
  backgroundBuild(): Promise<void>;
  /** Waits for the report of version `v`, and for the program to answer `body`. */
  served(v: number, body: string): Promise<ReportNotification.Params>;
  done(): Promise<void>;
}

const greetingGo = (body: string) => `package main\n\nfunc greeting() string {\n\treturn ${body}\n}\n`;

/** examples/hello, greeting.go open in the editor, running v1 through the language server. */
async function editor(env: NodeJS.ProcessEnv = process.env, setup?: (dir: string) => void): Promise<Editor> {
  const dir = copyExample('hello');
  setup?.(dir);
  const port = await freePort();
  const client = await EditorClient.start(dir, env);
  const greeting = path.join(dir, 'greeting.go');
  const started = await client.startFolder({ env: { PORT: String(port) } });
  assert.equal(started.started, true, JSON.stringify(started));
  await eventually('v1 running', () => client.states.find((s) => s.state === 'running' && s.version === 1));
  await client.open(greeting);
  return {
    dir,
    port,
    client,
    greeting,
    async backgroundBuild() {
      await eventually('a background build', () => backgroundBuilds(dir).length > 0);
      await eventually('the background build done', () => backgroundBuilds(dir).length === 0, { timeoutMs: 60000 });
      await new Promise((r) => setTimeout(r, 100));
    },
    async served(v, body) {
      const report = await eventually(`the v${v} report`, () => client.reports.find((r) => r.report.version === v && r.report.outcome === 'restarted'), {
        timeoutMs: 60000,
      });
      await eventually(`v${v} answers ${body}`, async () => (await httpGet(port)).body.trim() === body);
      return report;
    },
    async done() {
      try {
        await client.stop();
      } finally {
        killProcessesUnder(dir);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

test('the server asks for the unsaved text of Go files only', async () => {
  const e = await editor();
  try {
    const change = e.client.registrations.find((r) => r.method === 'textDocument/didChange');
    assert.deepEqual(change?.registerOptions, { documentSelector: [{ scheme: 'file', pattern: '**/*.go' }], syncKind: 2 });
    assert.ok(e.client.registrations.some((r) => r.method === 'textDocument/didOpen'));
  } finally {
    await e.done();
  }
});

test('a pause in typing builds in the background; the save of that text deploys it without building', async () => {
  const e = await editor();
  try {
    await e.client.type(e.greeting, greetingGo('"typed'));
    await e.client.type(e.greeting, greetingGo('"typed, then saved"'));
    await e.backgroundBuild();
    assert.equal((await httpGet(e.port)).body.trim(), 'hello, world', 'nothing deployed before the save');
    assert.equal(e.client.reports.length, 1);
    await e.client.save(e.greeting);
    const v2 = await e.served(2, 'typed, then saved');
    assert.equal(v2.report.builtBeforeSave, true);
    assert.match(v2.line, /made before the save/);
  } finally {
    await e.done();
  }
});

test('a save of other text than was built, or of one of two edited files, builds for real and runs only what is saved', async () => {
  const e = await editor(process.env, (dir) => {
    fs.writeFileSync(path.join(dir, 'greeting.go'), greetingGo('"hello, " + who()'));
    fs.writeFileSync(path.join(dir, 'who.go'), 'package main\n\nfunc who() string { return "world" }\n');
  });
  try {
    const who = path.join(e.dir, 'who.go');
    // A different edit: built one text, saved another.
    await e.client.type(e.greeting, greetingGo('"hi, " + who()'));
    await e.backgroundBuild();
    await e.client.type(e.greeting, greetingGo('"hey, " + who()'));
    await e.client.save(e.greeting);
    assert.equal((await e.served(2, 'hey, world')).report.builtBeforeSave, false);

    // Two dirty files, one saved: the build of both must not run.
    await e.client.open(who);
    await e.client.type(e.greeting, greetingGo('"bye, " + who()'));
    await e.client.type(who, 'package main\n\nfunc who() string { return "moon" }\n');
    await e.backgroundBuild();
    await e.client.save(e.greeting);
    assert.equal((await e.served(3, 'bye, world')).report.builtBeforeSave, false, 'who.go’s unsaved text did not run');
    // Saved later, the second file completes what was built.
    await e.client.save(who);
    assert.equal((await e.served(4, 'bye, moon')).report.builtBeforeSave, true);
  } finally {
    await e.done();
  }
});

test('format-on-save: the gofmt-ed text is built, so the formatted save uses it; a save as typed is not, and is learnt', async () => {
  const e = await editor();
  try {
    const unformatted = (text: string) => `package main\n\nfunc greeting() string {\n        return   "${text}"\n}\n`;
    // With format-on-save the editor applies gofmt's edit, then writes.
    await e.client.type(e.greeting, unformatted('formatted on save'));
    await e.backgroundBuild();
    await e.client.type(e.greeting, greetingGo('"formatted on save"'));
    await e.client.save(e.greeting);
    assert.equal((await e.served(2, 'formatted on save')).report.builtBeforeSave, true);

    // Without it the text is written as typed: the formatted build is not that.
    await e.client.type(e.greeting, unformatted('saved as typed'));
    await e.backgroundBuild();
    await e.client.save(e.greeting);
    assert.equal((await e.served(3, 'saved as typed')).report.builtBeforeSave, false);
    // The save showed that saves do not format: the next build is of the text as typed.
    await e.client.type(e.greeting, unformatted('as typed again'));
    await e.backgroundBuild();
    await e.client.save(e.greeting);
    assert.equal((await e.served(4, 'as typed again')).report.builtBeforeSave, true);
  } finally {
    await e.done();
  }
});

test('a background build that fails shows nothing until the save, which shows the errors', async () => {
  const e = await editor();
  try {
    const states = e.client.states.length;
    const diagnostics = e.client.diagnostics.length;
    await e.client.type(e.greeting, greetingGo('42'));
    await e.backgroundBuild();
    assert.equal(e.client.states.length, states, 'no state change');
    assert.equal(e.client.diagnostics.length, diagnostics, 'no diagnostics');
    await e.client.save(e.greeting);
    const uri = URI.file(e.greeting).toString();
    const published = await eventually('diagnostics at the save', () => e.client.diagnostics.find((d) => d.uri === uri && d.diagnostics.length > 0));
    assert.match(published.diagnostics[0].message, /cannot use 42/);
    await eventually('the failed state', () => e.client.states.find((s) => s.state === 'failed'));
  } finally {
    await e.done();
  }
});

test('a save during a background build raises it to normal priority and deploys it; no second build runs beside it', async () => {
  // Background builds (with -overlay) first wait 2 s in a child, as a slow build would; every build is logged.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-slowspec-'));
  const marker = path.join(tmp, 'sleeper.pid');
  const log = path.join(tmp, 'builds.log');
  const shell = `[ "$1" = build ] && echo "$*" >> "${log}"\ncase "$*" in *-overlay=*) sleep 2 & echo $! > "${marker}"; wait;; esac`;
  await withWrappedGo(shell, async () => {
    const e = await editor({ ...process.env });
    try {
      const lowest = (pid: number) => niceOf(pid) === 19 || autogroupNiceOf(pid) === 19;
      await e.client.type(e.greeting, greetingGo('"saved mid-build"'));
      const sleeper = Number(await eventually('the background build runs', () => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim()));
      assert.ok(lowest(sleeper), `the background build runs at the lowest priority (nice ${niceOf(sleeper)}, group nice ${autogroupNiceOf(sleeper)})`);
      const builds = fs.readFileSync(log, 'utf8').trim().split('\n').length;
      await e.client.save(e.greeting);
      const raisable = autogroupNiceOf(sleeper) === 19;
      if (autogroupsOn()) assert.ok(raisable, 'with autogroups the background build runs at group nice 19, which can be raised');
      if (raisable) await eventually('the background build raised to normal priority', () => autogroupNiceOf(sleeper) === 0, { timeoutMs: 1500 });
      const v2 = await e.served(2, 'saved mid-build');
      if (raisable) {
        assert.equal(v2.report.builtBeforeSave, true, 'the raised build is the one deployed');
        assert.equal(fs.readFileSync(log, 'utf8').trim().split('\n').length, builds, 'no real build beside it');
      }
    } finally {
      await e.done();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

function autogroupsOn(): boolean {
  try {
    return fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}
