/**
 * Host-side checks, run inside a real extension host by @vscode/test-electron:
 * the same user-visible behaviour the code-server end-to-end suite proves,
 * through the extension API instead of the UI.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { httpGet } from '../../support/http';
import { eventually } from '../../support/waiting';

const port = Number(process.env.HOTRELOAD_TEST_PORT ?? 18321);

/** The example's answer on `urlPath`. */
const get = async (urlPath = '/') => (await httpGet(port, urlPath)).body;

/** The extension host is slower than a test process: a longer deadline and a gentler poll. */
const slowly = { timeoutMs: 60000, intervalMs: 100 };

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0];
  await vscode.workspace.getConfiguration('hotReload', folder.uri).update('env', { PORT: String(port) }, vscode.ConfigurationTarget.WorkspaceFolder);
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'hot-reload');
  assert.ok(ext, 'the extension is installed');
  await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['start', 'stop', 'restart', 'toggle', 'showOutput', 'showChanges', 'selectTarget']) {
    assert.ok(commands.includes(`hotReload.${id}`), `hotReload.${id} is registered`);
  }

  await vscode.commands.executeCommand('hotReload.start');
  assert.equal(await eventually('the example answers', () => get(), slowly), 'hello, world');

  const file = path.join(folder.uri.fsPath, 'greeting.go');
  const doc = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(doc);
  const all = new vscode.Range(0, 0, doc.lineCount, 0);
  await editor.edit((e) => e.replace(all, 'package main\n\nfunc greeting() string {\n\treturn 42\n}\n'));
  await doc.save();
  const diagnostics = await eventually(
    'a build error in Problems',
    () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length > 0 ? d : undefined;
    },
    slowly,
  );
  assert.equal(diagnostics[0].range.start.line, 3);
  assert.equal(await get(), 'hello, world', 'the old version still answers');

  await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), 'package main\n\nfunc greeting() string {\n\treturn "from the host"\n}\n'));
  await doc.save();
  await eventually('Problems cleared', () => vscode.languages.getDiagnostics(doc.uri).length === 0 || undefined, slowly);
  await eventually('the new version answers', async () => ((await get()) === 'from the host' ? true : undefined), slowly);

  const pid = await get('/pid');
  await vscode.commands.executeCommand('hotReload.restart');
  await eventually('restart gives a new process', async () => ((await get('/pid')) !== pid ? true : undefined), slowly);

  await vscode.commands.executeCommand('hotReload.stop');
  await eventually(
    'the port is free',
    async () => {
      try {
        await get();
        return undefined;
      } catch {
        return true;
      }
    },
    slowly,
  );
  fs.rmSync(path.join(folder.uri.fsPath, '.vscode'), { recursive: true, force: true });
}
