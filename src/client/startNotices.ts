import * as vscode from 'vscode';
import { DebugAdapters } from './debugging';

/** Why Hot Reload could not start in a folder, with the fixes the engine offered, the log and the settings as buttons. */
export async function showStartFailure(
  folder: vscode.WorkspaceFolder,
  result: { errors: string[]; fixes?: { label: string; command: string }[] },
  log: vscode.LogOutputChannel,
): Promise<void> {
  const fixes = result.fixes ?? [];
  const choice = await vscode.window.showErrorMessage(
    `Hot Reload could not start in ${folder.name}: ${result.errors[0] ?? 'unknown error'}`,
    ...fixes.map((f) => f.label),
    'Show Log',
    'Open Settings',
  );
  const fix = fixes.find((f) => f.label === choice);
  if (fix) DebugAdapters.runFix(folder, fix);
  if (choice === 'Show Log') log.show();
  if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'hotReload');
}

/** Nothing runs in an untrusted workspace: says so, with a way to trust it. */
export async function explainTrust(): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    'Hot Reload runs build commands and your program, so it only works in a trusted workspace.',
    'Manage Workspace Trust',
  );
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}
