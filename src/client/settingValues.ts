import * as vscode from 'vscode';

/**
 * The folder's `hotReload.*` values the user set (not the defaults, which must not override
 * .air.toml): the engine maps and checks them against its settings schema.
 */
export function settingValues(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('hotReload', folder.uri);
  const values: Record<string, unknown> = {};
  for (const name of contributedSettings(context)) {
    const set = config.inspect(name);
    const value = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** The setting names package.json contributes (without the `hotReload.` prefix). */
function contributedSettings(context: vscode.ExtensionContext): string[] {
  const configuration =
    (context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> }[] } }).contributes?.configuration ?? [];
  return configuration.flatMap((section) => Object.keys(section.properties ?? {})).map((key) => key.replace(/^hotReload\./, ''));
}
