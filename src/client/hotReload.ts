import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EngineClient } from './engineClient';
import { ProgramTerminal } from './programTerminal';
import { StatusBar } from './statusBar';
import { ChangesView } from './changesView';
import { DebugAdapters } from './debugging';
import type { FolderState } from './statusView';
import {
  InputNotification,
  ListTargetsRequest,
  LogNotification,
  OutputNotification,
  ReportNotification,
  RestartRequest,
  StartRequest,
  StateNotification,
  StopRequest,
  type TargetInfo,
} from '../protocol';

const TARGET_KEY = 'hotReload.target:';

/**
 * The extension's one context: it owns the engine connection, the status bar,
 * the log, the terminals and each folder's state, and turns commands into
 * requests. It renders what the engine says and decides nothing the engine can.
 */
export class HotReload implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Hot Reload', { log: true });
  readonly engine: EngineClient;
  readonly changes: ChangesView;
  readonly debugging: DebugAdapters;
  private readonly statusBar = new StatusBar();
  private readonly states = new Map<string, FolderState>();
  private readonly terminals = new Map<string, ProgramTerminal>();
  /** Folders the user turned on: resumed if the engine restarts. */
  private readonly on = new Set<string>();
  /** Folders running in debug mode, with the address their debugger connects to. */
  private readonly debugAddresses = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.engine = new EngineClient(
      context,
      this.log,
      (client) => this.listen(client),
      () => void this.resume(),
      () => this.engineGone(),
    );
    this.changes = new ChangesView(this.engine);
    this.debugging = new DebugAdapters(this);
    this.disposables.push(
      this.debugging,
      this.log,
      this.engine,
      this.changes,
      this.statusBar,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) void this.stop(f);
        this.render();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigChanged(e)),
    );
    this.render();
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The folder a command is about: the active editor's, the only one, or the user's pick. */
  async folderFor(pick = true): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const active = vscode.window.activeTextEditor?.document.uri;
    const byEditor = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
    if (byEditor) return byEditor;
    if (folders.length <= 1 || !pick) return folders[0];
    const running = folders.filter((f) => this.on.has(f.uri.toString()));
    if (running.length === 1) return running[0];
    return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder?' });
  }

  isOn(folder: vscode.WorkspaceFolder): boolean {
    return this.on.has(folder.uri.toString());
  }

  /** Where the folder's debugger connects, hot reload started in debug mode first if it is not. */
  async debugAddress(folder: vscode.WorkspaceFolder): Promise<string | undefined> {
    const key = folder.uri.toString();
    if (!(this.on.has(key) && this.debugAddresses.has(key))) await this.start(folder, { debug: true });
    return this.debugAddresses.get(key);
  }

  async start(folder: vscode.WorkspaceFolder, options: { debug?: boolean } = {}): Promise<void> {
    if (!this.trusted) {
      await this.explainTrust();
      return;
    }
    const key = folder.uri.toString();
    this.on.add(key);
    this.setState(folder, { state: 'building', errorCount: 0, detail: 'starting' });
    this.terminal(folder).note(`starting hot reload in ${folder.name}`);
    const client = await this.engine.get();
    const values = this.settingValues(folder);
    const remembered = this.context.workspaceState.get<string>(TARGET_KEY + key);
    if (!values.package && remembered) values.package = remembered;
    if (options.debug) values.debug = true;
    this.debugAddresses.delete(key);
    const result = await client.sendRequest(StartRequest.type, { folder: key, values });
    for (const warning of result.warnings) this.log.warn(warning);
    if (result.started) {
      if (result.debugAddress) this.debugAddresses.set(key, result.debugAddress);
      // The hotReload.debug setting asked for it: the editor's debugger comes along.
      if (result.debugAddress && !options.debug) this.debugging.attachIfNone(folder);
      return;
    }
    if (result.targets) {
      // Nothing runs while the user picks.
      this.setState(folder, { state: 'off', errorCount: 0 });
      const picked = await this.pickTarget(folder, result.targets);
      if (picked) return this.start(folder, options);
    }
    this.on.delete(key);
    const message = result.errors.join('\n');
    for (const error of result.errors) this.log.error(error);
    this.setState(folder, { state: 'off', errorCount: 0, startError: message });
    const fixes = result.fixes ?? [];
    const choice = await vscode.window.showErrorMessage(
      `Hot Reload could not start in ${folder.name}: ${result.errors[0] ?? 'unknown error'}`,
      ...fixes.map((f) => f.label),
      'Show Log',
      'Open Settings',
    );
    const fix = fixes.find((f) => f.label === choice);
    if (fix) DebugAdapters.runFix(folder, fix);
    if (choice === 'Show Log') this.log.show();
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'hotReload');
  }

  async stop(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    this.on.delete(key);
    this.debugAddresses.delete(key);
    if (this.engine.running) {
      const client = await this.engine.get();
      await client.sendRequest(StopRequest.type, { folder: key });
    }
    this.setState(folder, { state: 'off', errorCount: 0 });
    this.terminals.get(key)?.note('hot reload stopped');
  }

  async toggle(folder: vscode.WorkspaceFolder): Promise<void> {
    if (this.isOn(folder)) await this.stop(folder);
    else await this.start(folder);
  }

  async restart(folder: vscode.WorkspaceFolder): Promise<void> {
    if (!this.isOn(folder)) {
      await this.start(folder);
      return;
    }
    const client = await this.engine.get();
    const result = await client.sendRequest(RestartRequest.type, { folder: folder.uri.toString() });
    if (!result.restarted) void vscode.window.showWarningMessage(`Hot Reload: ${result.reason ?? 'cannot restart'}`);
  }

  async selectTarget(folder: vscode.WorkspaceFolder): Promise<void> {
    const client = await this.engine.get();
    const { targets, errors } = await client.sendRequest(ListTargetsRequest.type, { folder: folder.uri.toString() });
    if (targets.length === 0) {
      void vscode.window.showWarningMessage(`Hot Reload found no main package in ${folder.name}${errors.length ? `: ${errors[0]}` : ''}.`);
      return;
    }
    if (await this.pickTarget(folder, targets)) {
      if (this.isOn(folder)) await this.start(folder);
    }
  }

  showOutput(folder: vscode.WorkspaceFolder): void {
    this.terminal(folder).show(false);
  }

  async explainTrust(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      'Hot Reload runs build commands and your program, so it only works in a trusted workspace.',
      'Manage Workspace Trust',
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  }

  private async pickTarget(folder: vscode.WorkspaceFolder, targets: TargetInfo[]): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(
      targets.map((t) => ({ label: t.package, description: t.importPath })),
      { title: `Hot Reload: which program in ${folder.name}?`, placeHolder: 'Pick the main package to build and run (remembered for this folder)' },
    );
    if (!picked) return undefined;
    await this.context.workspaceState.update(TARGET_KEY + folder.uri.toString(), picked.label);
    return picked.label;
  }

  /** Resumes the folders that were on after the engine restarted (their programs were stopped with it). */
  private async resume(): Promise<void> {
    for (const key of [...this.on]) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(key));
      if (folder) await this.start(folder, { debug: this.debugAddresses.has(key) });
    }
  }

  /** The engine is gone for good: say so; the next Start starts a fresh one, which stops what was left. */
  private engineGone(): void {
    this.log.error('The Hot Reload engine keeps stopping and was not restarted again.');
    void vscode.window
      .showErrorMessage('The Hot Reload engine keeps stopping. Start Hot Reload to try again; the Hot Reload log may say why.', 'Show Log')
      .then((choice) => {
        if (choice) this.log.show();
      });
    for (const key of [...this.on]) {
      const folder = this.folderByKey(key);
      this.on.delete(key);
      if (folder) this.setState(folder, { state: 'off', errorCount: 0, startError: 'the Hot Reload engine stopped; click to start it again' });
    }
  }

  private listen(client: LanguageClient): void {
    client.onNotification(StateNotification.type, ({ folder, ...state }) => {
      // The engine ended the session by itself (the debugger's Stop): the folder is off.
      if (state.state === 'off') {
        this.on.delete(folder);
        this.debugAddresses.delete(folder);
      }
      const f = this.folderByKey(folder);
      if (f) this.setState(f, state);
    });
    client.onNotification(ReportNotification.type, ({ folder, report, line }) => {
      const f = this.folderByKey(folder);
      const prefix = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 && f ? `[${f.name}] ` : '';
      const good = report.outcome !== 'build-failed' && report.outcome !== 'crashed' && report.outcome !== 'rolled-back';
      if (good) this.log.info(prefix + line);
      else this.log.error(prefix + line);
      if (f) this.terminal(f).note(line);
    });
    client.onNotification(OutputNotification.type, ({ folder, data, dropped }) => {
      const f = this.folderByKey(folder);
      if (!f) return;
      const terminal = this.terminal(f);
      if (dropped > 0) terminal.note(`${dropped} bytes of output not shown: the program prints faster than the terminal can show`);
      terminal.write(data);
    });
    client.onNotification(LogNotification.type, ({ folder, level, message }) => {
      const f = this.folderByKey(folder);
      const prefix = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 && f ? `[${f.name}] ` : '';
      if (level === 'error') this.log.error(prefix + message);
      else if (level === 'warn') this.log.warn(prefix + message);
      else this.log.info(prefix + message);
    });
  }

  private onConfigChanged(e: vscode.ConfigurationChangeEvent): void {
    for (const key of [...this.on]) {
      const folder = this.folderByKey(key);
      if (folder && e.affectsConfiguration('hotReload', folder.uri)) {
        this.log.info(`settings changed: restarting hot reload in ${folder.name}`);
        void this.start(folder, { debug: this.debugAddresses.has(key) });
      }
    }
  }

  /**
   * The folder's `hotReload.*` values the user set (not the defaults, which must not override
   * .air.toml): the engine maps and checks them against its settings schema.
   */
  private settingValues(folder: vscode.WorkspaceFolder): Record<string, unknown> {
    const config = vscode.workspace.getConfiguration('hotReload', folder.uri);
    const values: Record<string, unknown> = {};
    for (const name of contributedSettings(this.context)) {
      const set = config.inspect(name);
      const value = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
      if (value !== undefined) values[name] = value;
    }
    return values;
  }

  private terminal(folder: vscode.WorkspaceFolder): ProgramTerminal {
    const key = folder.uri.toString();
    let terminal = this.terminals.get(key);
    if (!terminal) {
      terminal = new ProgramTerminal(`Hot Reload: ${folder.name}`, (data) => {
        void this.engine.get().then((client) => client.sendNotification(InputNotification.type, { folder: key, data }));
      });
      this.terminals.set(key, terminal);
      this.disposables.push(terminal);
      terminal.show(true);
    }
    return terminal;
  }

  private folderByKey(key: string): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === key);
  }

  private setState(folder: vscode.WorkspaceFolder, state: Omit<FolderState, 'folderName'>): void {
    this.states.set(folder.uri.toString(), state);
    this.render();
  }

  /** Renders the state of the folder the user is looking at. */
  render(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) || folders.find((f) => this.on.has(f.uri.toString())) || folders[0];
    const state = (folder && this.states.get(folder.uri.toString())) ?? { state: 'off' as const, errorCount: 0 };
    this.statusBar.render({ ...state, folderName: folders.length > 1 ? folder?.name : undefined, restricted: !this.trusted });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

/** The setting names package.json contributes (without the `hotReload.` prefix). */
function contributedSettings(context: vscode.ExtensionContext): string[] {
  const configuration =
    (context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> }[] } }).contributes?.configuration ?? [];
  return configuration.flatMap((section) => Object.keys(section.properties ?? {})).map((key) => key.replace(/^hotReload\./, ''));
}
