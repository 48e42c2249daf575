import * as vscode from 'vscode';
import type { HotReload } from './hotReload';

/**
 * Opens the folder's program in a browser: the page address the engine reported (browser reload's
 * proxy when it is on), in the default browser or in VS Code's Simple Browser. In a remote window
 * the port is forwarded (openExternal does it itself; the Simple Browser's frame needs asExternalUri).
 */
export async function openInBrowser(hr: HotReload, folder: vscode.WorkspaceFolder, where: 'external' | 'simple'): Promise<void> {
  const url = hr.urlOf(folder);
  if (!url) {
    const why = hr.isOn(folder) ? 'its address is not known until the first version starts' : `Hot Reload is not running in ${folder.name}`;
    void vscode.window.showInformationMessage(`Hot Reload cannot open the page yet: ${why}.`);
    return;
  }
  const uri = vscode.Uri.parse(url);
  if (where === 'simple') await vscode.commands.executeCommand('simpleBrowser.show', (await vscode.env.asExternalUri(uri)).toString(true));
  else if (!(await vscode.env.openExternal(uri))) void vscode.window.showWarningMessage(`Hot Reload could not open ${url}.`);
}
