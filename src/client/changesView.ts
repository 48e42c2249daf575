import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineClient } from './engineClient';
import { ChangesRequest, RunningContentRequest } from '../protocol';

const SNAPSHOT_SCHEME = 'hotreload-running';

/** Which text a change was compared from. */
const which = (unsaved: boolean) => (unsaved ? 'unsaved editor text' : 'saved file');

/**
 * "Show Changes": the files that differ between the running version and what
 * the user sees (a dirty editor's text, else the saved file), and VS Code's
 * diff editor for the one picked. The left side
 * is served from the engine's snapshot of the running version's sources.
 */
export class ChangesView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(private readonly engine: EngineClient) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, this);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { folder } = JSON.parse(uri.query) as { folder: string };
    const client = await this.engine.get();
    const { content } = await client.sendRequest(RunningContentRequest.type, { folder, path: uri.fsPath });
    return content ?? '';
  }

  async show(folder: vscode.WorkspaceFolder): Promise<void> {
    const client = await this.engine.get();
    // What the user sees: a dirty editor's text, not the file under it (the engine compares).
    const unsaved = vscode.workspace.textDocuments
      .filter((d) => d.isDirty && d.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(d.uri)?.uri.toString() === folder.uri.toString())
      .map((d) => ({ path: d.uri.fsPath, text: d.getText() }));
    const result = await client.sendRequest(ChangesRequest.type, { folder: folder.uri.toString(), unsaved });
    if (!result.running) {
      void vscode.window.showInformationMessage(`Hot Reload is not running in ${folder.name}: there is no running version to compare with.`);
      return;
    }
    if (result.files.length === 0) {
      const seen = unsaved.length ? 'the saved files and the unsaved editor text match' : 'the working tree matches';
      void vscode.window.showInformationMessage(`No changes: ${seen} the running version (v${result.version}).`);
      return;
    }
    const items = result.files.map((f) => ({
      label: `$(${f.kind === 'create' ? 'diff-added' : f.kind === 'delete' ? 'diff-removed' : 'diff-modified'}) ${path.relative(folder.uri.fsPath, f.path)}`,
      description: `+${f.added} −${f.removed} · ${which(f.unsaved)}`,
      detail: f.kind === 'create' ? 'new since the running version' : f.kind === 'delete' ? 'deleted since the running version' : undefined,
      file: f,
    }));
    const picked =
      items.length === 1
        ? items[0]
        : await vscode.window.showQuickPick(items, { title: `Changes since the running version (v${result.version})`, placeHolder: 'Pick a file to compare' });
    if (!picked) return;
    const fileUri = vscode.Uri.file(picked.file.path);
    const runningUri = fileUri.with({ scheme: SNAPSHOT_SCHEME, query: JSON.stringify({ folder: folder.uri.toString(), v: result.version }) });
    const name = path.basename(picked.file.path);
    // The right side is the file's document: the editor's text when it is dirty, as the engine compared.
    await vscode.commands.executeCommand('vscode.diff', runningUri, fileUri, `${name} (running v${result.version}) ↔ ${name} (${which(picked.file.unsaved)})`);
  }

  dispose(): void {
    this.registration.dispose();
  }
}
