/**
 * End to end: a session started from the status bar in the real workbench (code-server) is driven
 * from outside as scripts and agents drive it. A file edited outside the editor, then `hotreload
 * wait` in a shell (the CLI the .vsix ships) returns the new version, which answers. And Hot Reload's
 * language model tools are registered and can be invoked: a small test extension installed beside
 * it lists `vscode.lm.tools` and calls `vscode.lm.invokeTool`, as a chat agent would.
 *
 *   bash scripts/install-e2e.sh && npm run package && npx tsc -p tsconfig.test.json
 *   node --test out/test/e2e/agentControl.test.js
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clickStatusItem, waitForStatus } from './hotReloadStatus';
import { makeWorkspace, skip, withWorkbench } from './hotReloadUi';
import { runCommand } from './quickInput';
import { packVsix } from './vsix';
import { tempDir } from '../support/files';
import { runToEnd, type FinishedRun } from '../support/processes';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

const greetingFile = (text: string) => `package main\n\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`;

/** A test extension whose command invokes Hot Reload's tools through vscode.lm and writes what they answered to `out`. */
function lmProbe(out: string): string {
  const src = tempDir('hre2e-lmprobe-');
  fs.writeFileSync(
    path.join(src, 'package.json'),
    JSON.stringify({
      name: 'lm-probe',
      publisher: 'hotreload-e2e',
      displayName: 'LM Probe',
      version: '0.0.1',
      engines: { vscode: '^1.95.0' },
      main: './extension.js',
      activationEvents: ['onCommand:lmProbe.invoke'],
      contributes: { commands: [{ command: 'lmProbe.invoke', title: 'Invoke Hot Reload Tools', category: 'LM Probe' }] },
    }),
  );
  fs.writeFileSync(
    path.join(src, 'extension.js'),
    `const vscode = require('vscode');
const fs = require('fs');
const text = (result) => result.content.map((part) => part.value).join('\\n');
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('lmProbe.invoke', async () => {
    const answer = {};
    try {
      answer.tools = vscode.lm.tools.filter((t) => t.name.startsWith('hotreload_')).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
      const invoke = async (name, input) => text(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token));
      answer.wait = await invoke('hotreload_wait', { timeoutSeconds: 120 });
      answer.status = await invoke('hotreload_status', {});
      answer.errors = await invoke('hotreload_errors', {});
    } catch (err) {
      answer.error = String(err && err.stack || err);
    }
    fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify(answer));
  }));
};
exports.deactivate = () => {};
`,
  );
  return packVsix(src, path.join(src, 'out', 'lm-probe-0.0.1.vsix'));
}

/** The CLI of the installed extension, run by a shell in `cwd`. */
function shell(command: string, cwd: string, env: Record<string, string>): Promise<FinishedRun> {
  return runToEnd('/bin/sh', ['-c', command], { cwd, env });
}

test(
  'from outside: an edit, then hotreload wait in a shell returns the new version; the language model tools answer',
  { skip, timeout: 420_000 },
  async (t) => {
    const runDir = { XDG_RUNTIME_DIR: tempDir('hre2e-run-') };
    const out = path.join(tempDir('hre2e-lmout-'), 'answer.json');
    await withWorkbench(
      t,
      { prefix: 'agent-control', workspace: (port) => makeWorkspace('hello', port, { example: 'hello' }), env: runDir, extraVsix: [lmProbe(out)] },
      async ({ vs, page, ws, port, shot, step }) => {
        await clickStatusItem(page);
        await waitForStatus(page, (s) => s.icons.includes('zap') && /^v1 · /.test(s.text), 90_000, 'running v1');
        step('v1 runs, started from the status bar');

        // An agent's edit: the file on disk, no editor involved.
        fs.writeFileSync(path.join(ws, 'greeting.go'), greetingFile('edited from outside'));
        const extension = fs.readdirSync(vs.extensionsDir).find((d) => d.startsWith('hot-reload.hot-reload-'));
        assert.ok(extension, 'Hot Reload is installed');
        const cli = path.join(vs.extensionsDir, extension, 'dist', 'cli.js');
        const waited = await shell(`"${process.execPath}" "${cli}" wait --timeout 2m`, ws, runDir);
        step(`hotreload wait: ${waited.stdout.trim()}`);
        assert.equal(waited.code, 0, waited.stderr);
        assert.match(waited.stdout, new RegExp(`^v2 serves at http://localhost:${port}/ `));
        assert.equal((await httpGet(port)).body, 'edited from outside', 'the new version answers the first request after wait');
        await waitForStatus(page, (s) => /^v2\b/.test(s.text), 30_000, 'v2 in the status bar');
        await shot('01-waited-from-a-shell');

        // The tools, as an agent in the chat calls them.
        fs.writeFileSync(path.join(ws, 'greeting.go'), greetingFile('edited by an agent'));
        await runCommand(page, 'LM Probe: Invoke Hot Reload Tools');
        const answer = JSON.parse(
          await eventually('the probe’s answer', () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined), { timeoutMs: 180_000 }),
        ) as {
          tools?: { name: string; description: string; inputSchema: unknown }[];
          wait?: string;
          status?: string;
          errors?: string;
          error?: string;
        };
        step(`the tools answered: ${JSON.stringify(answer).slice(0, 300)}`);
        assert.equal(answer.error, undefined);
        assert.deepEqual(answer.tools?.map((tool) => tool.name).sort(), [
          'hotreload_errors',
          'hotreload_logs',
          'hotreload_restart',
          'hotreload_status',
          'hotreload_wait',
        ]);
        assert.match(answer.tools?.find((tool) => tool.name === 'hotreload_wait')?.description ?? '', /after editing files/);
        assert.match(answer.wait ?? '', new RegExp(`^v3 serves at http://localhost:${port}/ `));
        assert.equal((await httpGet(port)).body, 'edited by an agent');
        assert.match(answer.status ?? '', /^state: {4}running · v3 \(pid \d+\)$/m);
        assert.match(answer.status ?? '', /^last: {5}v3 restarted · change · /m);
        assert.match(answer.errors ?? '', /^no errors: running \(v3\)$/);
        await shot('02-tools-answered');
      },
    );
  },
);
