import * as vscode from 'vscode';
import { HotReload } from './hotReload';
import { registerCommands } from './commands';
import { registerLanguageModelTools } from './languageModelTools';

let hotReload: HotReload | undefined;

/** Set by the bundle's first line (scripts/build.mjs); absent when run unbundled. */
declare const __hotReloadLoadStart: number | undefined;
const loadStart = typeof __hotReloadLoadStart === 'number' ? __hotReloadLoadStart : Date.now();

/** Activation only registers commands and the status bar; the engine starts when first needed. */
export function activate(context: vscode.ExtensionContext): void {
  hotReload = new HotReload(context);
  context.subscriptions.push(hotReload, ...registerCommands(hotReload), ...registerLanguageModelTools());
  // Read by bench/extension.bench.ts from the log file.
  hotReload.log.info(`activated in ${Date.now() - loadStart} ms (bundle load and activate)`);
}

export async function deactivate(): Promise<void> {
  // Stopping the engine stops every program it runs.
  await hotReload?.engine.stop();
}
