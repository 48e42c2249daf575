import * as vscode from 'vscode';
import { HotReload } from './hotReload';
import { registerCommands } from './commands';

let hotReload: HotReload | undefined;

/** Activation only registers commands and the status bar; the engine starts when first needed. */
export function activate(context: vscode.ExtensionContext): void {
  hotReload = new HotReload(context);
  context.subscriptions.push(hotReload, ...registerCommands(hotReload));
}

export async function deactivate(): Promise<void> {
  // Stopping the engine stops every program it runs.
  await hotReload?.engine.stop();
}
