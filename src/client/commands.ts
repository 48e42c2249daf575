import * as vscode from 'vscode';
import type { HotReload } from './hotReload';
import { openInBrowser } from './openInBrowser';

/**
 * Every command, built the same way: find the folder it is about, then act or
 * say why not, whatever the state (no folder, untrusted, engine down).
 */
type FolderCommand = (hr: HotReload, folder: vscode.WorkspaceFolder) => Promise<void> | void;

const folderCommands: Record<string, FolderCommand> = {
  'hotReload.start': (hr, f) => hr.start(f),
  'hotReload.stop': async (hr, f) => {
    if (!hr.isOn(f)) {
      void vscode.window.showInformationMessage(`Hot Reload is not running in ${f.name}.`);
      return;
    }
    await hr.stop(f);
  },
  'hotReload.restart': (hr, f) => hr.restart(f),
  'hotReload.toggle': (hr, f) => hr.toggle(f),
  'hotReload.showOutput': (hr, f) => hr.showOutput(f),
  'hotReload.showChanges': (hr, f) => hr.changes.show(f),
  'hotReload.selectTarget': (hr, f) => hr.selectTarget(f),
  'hotReload.openInBrowser': (hr, f) => openInBrowser(hr, f, 'external'),
  'hotReload.openInSimpleBrowser': (hr, f) => openInBrowser(hr, f, 'simple'),
};

/** Commands that start things need trust; the others only show. */
const needsTrust = new Set(['hotReload.start', 'hotReload.restart', 'hotReload.toggle', 'hotReload.selectTarget']);

export function registerCommands(hr: HotReload): vscode.Disposable[] {
  const disposables = Object.entries(folderCommands).map(([id, run]) =>
    vscode.commands.registerCommand(id, async () => {
      if (needsTrust.has(id) && !hr.trusted) {
        await hr.explainTrust();
        return;
      }
      const folder = await hr.folderFor();
      if (!folder) {
        void vscode.window.showInformationMessage('Hot Reload needs a folder: open the folder of a Go module first.');
        return;
      }
      try {
        await run(hr, folder);
      } catch (err) {
        hr.log.error(`${id} failed: ${(err as Error).message}`);
        void vscode.window.showErrorMessage(`Hot Reload: ${(err as Error).message}`);
      }
    }),
  );
  disposables.push(
    vscode.commands.registerCommand('hotReload.showLog', () => hr.log.show()),
    vscode.commands.registerCommand('hotReload.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'hotReload')),
    vscode.commands.registerCommand('hotReload.manageTrust', () => vscode.commands.executeCommand('workbench.trust.manage')),
  );
  return disposables;
}
