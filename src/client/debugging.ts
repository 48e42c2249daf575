import * as vscode from 'vscode';

/** What the debug adapters need of the extension: the folder a command is about, and its debug address. */
export interface DebugTarget {
  folderFor(): Promise<vscode.WorkspaceFolder | undefined>;
  /** Starts hot reload in debug mode for the folder if need be; undefined when it could not. */
  debugAddress(folder: vscode.WorkspaceFolder): Promise<string | undefined>;
}

/** The debug configuration type Hot Reload contributes (package.json's contributes.debuggers). */
const DEBUG_TYPE = 'hotreload';

/** The engine's DAP server at "host:port" ("[::1]:4711"). */
function adapterServer(address: string): vscode.DebugAdapterServer {
  const colon = address.lastIndexOf(':');
  return new vscode.DebugAdapterServer(Number(address.slice(colon + 1)), address.slice(0, colon).replace(/^\[|\]$/g, ''));
}

/** What "Hot Reload: Start Debugging" (and a launch.json without one) starts. */
function debugConfiguration(folder: vscode.WorkspaceFolder): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: `Hot Reload: ${folder.name}` };
}

/**
 * VS Code's debugger attached to the engine: a `hotreload` debug session turns hot reload on in
 * debug mode for its folder (if it is not already) and connects to the address the engine keeps
 * for the whole hot-reload session, so it lasts across reloads.
 */
export class DebugAdapters implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(private readonly hr: DebugTarget) {
    this.registration = vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, this);
  }

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    // A service of a folder's system: the engine said where its debugger connects.
    const given: unknown = session.configuration.address;
    if (typeof given === 'string') return adapterServer(given);
    const folder = session.workspaceFolder ?? (await this.hr.folderFor());
    if (!folder) throw new Error('Hot Reload needs a folder to debug: open the folder of a Go module first.');
    const address = await this.hr.debugAddress(folder);
    if (!address) throw new Error(`Hot Reload could not start debugging in ${folder.name}: the Hot Reload log says why.`);
    return adapterServer(address);
  }

  /** Debugs one service of a folder's system at the address the engine gave. */
  async startService(folder: vscode.WorkspaceFolder, service: string, address: string): Promise<void> {
    const configuration = { type: DEBUG_TYPE, request: 'launch', name: `Hot Reload: ${service}`, service, address };
    if (!(await vscode.debug.startDebugging(folder, configuration))) throw new Error(`the debugger did not start for ${service}`);
  }

  /** Hot Reload: Start Debugging. */
  async start(folder: vscode.WorkspaceFolder): Promise<void> {
    if (!(await vscode.debug.startDebugging(folder, debugConfiguration(folder)))) throw new Error(`the debugger did not start in ${folder.name}`);
  }

  /** Attaches VS Code's debugger when hot reload started in debug mode by itself (the `hotReload.debug` setting). */
  attachIfNone(folder: vscode.WorkspaceFolder): void {
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE && active.workspaceFolder?.uri.toString() === folder.uri.toString()) return;
    void vscode.debug.startDebugging(folder, debugConfiguration(folder));
  }

  /** Runs a fix the engine offered (installing Delve) in a terminal the user sees. */
  static runFix(folder: vscode.WorkspaceFolder, fix: { label: string; command: string }): void {
    const terminal = vscode.window.createTerminal({ name: `Hot Reload: ${fix.label}`, cwd: folder.uri });
    terminal.show();
    terminal.sendText(fix.command);
  }

  dispose(): void {
    this.registration.dispose();
  }
}
