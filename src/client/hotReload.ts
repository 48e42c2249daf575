import * as vscode from 'vscode';
import { EngineClient } from './engineClient';
import type { ProgramTerminal } from './programTerminal';
import { Terminals } from './terminals';
import { StatusBar } from './statusBar';
import { ChangesView } from './changesView';
import { ServicesView } from './servicesView';
import { settingValues } from './settingValues';
import { DebugAdapters } from './debugging';
import { listenToEngine, type NotificationSink } from './engineNotifications';
import type { FolderState } from './statusView';
import { InputNotification, ListPlacesRequest, ListTargetsRequest, RestartRequest, StartRequest, StopRequest } from '../protocol';
import { explainTrust, showStartFailure } from './startNotices';
import { forgetProgram, pickProgram, pickTarget, rememberedProgram, rememberProgram } from './targetPicker';
import { BuildProgressNotifications } from './buildProgress';
import type { BuildProgress } from '../engine';

/**
 * The extension's one context: it owns the engine connection, the status bar,
 * the log, the terminals and each folder's state, and turns commands into
 * requests. It renders what the engine says and decides nothing the engine can.
 */
export class HotReload implements vscode.Disposable, NotificationSink {
  readonly log = vscode.window.createOutputChannel('Hot Reload', { log: true });
  readonly engine: EngineClient;
  readonly changes: ChangesView;
  readonly services: ServicesView;
  readonly debugging: DebugAdapters;
  private readonly statusBar = new StatusBar();
  private readonly states = new Map<string, FolderState>();
  private readonly terminals = new Terminals((folder, service, data) => {
    void this.engine.get().then((client) => client.sendNotification(InputNotification.type, { folder, service, data }));
  });
  /** Folders the user turned on: resumed if the engine restarts. */
  private readonly on = new Set<string>();
  /** Folders running in debug mode, with the address their debugger connects to. */
  private readonly debugAddresses = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The settings each folder was last started with: a change event that changes nothing restarts nothing. */
  private readonly startedWith = new Map<string, string>();
  /** Folders whose settings Select Target is writing: it restarts them once, after. */
  private readonly writingSettings = new Set<string>();
  /** Cancelling a build's progress notification stops hot reload in its folder. */
  private readonly buildProgress = new BuildProgressNotifications((folder) => void this.cancelBuild(folder));

  constructor(private readonly context: vscode.ExtensionContext) {
    this.engine = new EngineClient(context, this.log, {
      onReady: (client) => {
        listenToEngine(client, this);
        this.services.listen(client);
      },
      onRestarted: () => void this.resume(),
      onGone: () => this.engineGone(),
    });
    this.changes = new ChangesView(this.engine);
    this.services = new ServicesView(this.engine, async (key, service, address) => {
      const folder = this.folderByKey(key);
      if (folder) await this.debugging.startService(folder, service, address);
    });
    this.debugging = new DebugAdapters(this);
    this.disposables.push(
      this.debugging,
      this.log,
      this.engine,
      this.changes,
      this.services,
      this.terminals,
      this.statusBar,
      this.buildProgress,
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

  /** Where a browser opens the folder's program, once the engine has said. */
  urlOf(folder: vscode.WorkspaceFolder): string | undefined {
    return this.isOn(folder) ? this.states.get(folder.uri.toString())?.url : undefined;
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
    const values = settingValues(this.context, folder);
    this.startedWith.set(key, JSON.stringify(values));
    // The program picked last (Select Target), unless the folder's settings name one.
    const remembered = rememberedProgram(this.context.workspaceState, key);
    if (remembered && !values.package && !values.entry && !values.command && !values.language) Object.assign(values, remembered);
    if (options.debug) values.debug = true;
    this.debugAddresses.delete(key);
    const result = await client.sendRequest(StartRequest.type, { folder: key, values, editorScheme: vscode.env.uriScheme });
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
      const picked = await pickProgram(folder, result.targets);
      if (picked === 'all') return this.runAll(folder, options);
      if (picked) {
        await rememberProgram(this.context.workspaceState, key, picked.settings);
        return this.start(folder, options);
      }
    }
    this.on.delete(key);
    const message = result.errors.join('\n');
    for (const error of result.errors) this.log.error(error);
    this.setState(folder, { state: 'off', errorCount: 0, startError: message });
    await showStartFailure(folder, result, this.log);
  }

  /** "Run them all": the engine writes hotreload.toml from the folder's programs, then every one starts as a service. */
  private async runAll(folder: vscode.WorkspaceFolder, options: { debug?: boolean }): Promise<void> {
    if (!(await this.services.writeServicesFile(folder.uri.toString(), this.log))) return void this.on.delete(folder.uri.toString());
    await forgetProgram(this.context.workspaceState, folder.uri.toString());
    return this.start(folder, options);
  }

  async stop(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    this.services.forget(key);
    this.on.delete(key);
    this.debugAddresses.delete(key);
    if (this.engine.running) {
      const client = await this.engine.get();
      await client.sendRequest(StopRequest.type, { folder: key });
    }
    this.setState(folder, { state: 'off', errorCount: 0 });
    this.terminals.existing(key)?.note('hot reload stopped');
  }

  private async cancelBuild(folder: vscode.WorkspaceFolder): Promise<void> {
    this.log.info(`${folder.name}: build cancelled; hot reload stopped`);
    this.terminal(folder).note('build cancelled');
    await this.stop(folder);
  }

  progress(folder: vscode.WorkspaceFolder, progress: BuildProgress): void {
    this.buildProgress.show(folder, progress);
    this.render();
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

  /** Select Target: which main package runs and where (this machine, a container, an SSH host). */
  async selectTarget(folder: vscode.WorkspaceFolder): Promise<void> {
    const client = await this.engine.get();
    const key = folder.uri.toString();
    const [programs, places] = await Promise.all([
      client.sendRequest(ListTargetsRequest.type, { folder: key }),
      client.sendRequest(ListPlacesRequest.type, { folder: key, values: settingValues(this.context, folder) }),
    ]);
    const choice = await pickTarget(folder, { targets: programs.targets, current: rememberedProgram(this.context.workspaceState, key) }, places);
    if (!choice) return;
    if ('program' in choice) {
      await rememberProgram(this.context.workspaceState, key, choice.program);
    } else {
      // One restart below for all the settings written, not one per change event.
      this.writingSettings.add(key);
      try {
        const config = vscode.workspace.getConfiguration('hotReload', folder.uri);
        for (const [name, value] of Object.entries(choice.settings)) await config.update(name, value, vscode.ConfigurationTarget.WorkspaceFolder);
      } finally {
        this.writingSettings.delete(key);
      }
      this.log.info(`${folder.name}: the program runs on ${choice.place}`);
    }
    if (this.isOn(folder) || 'place' in choice) await this.start(folder);
  }

  showOutput(folder: vscode.WorkspaceFolder): void {
    this.terminal(folder).show(false);
  }

  explainTrust(): Promise<void> {
    return explainTrust();
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
      this.services.forget(key);
      if (folder) this.setState(folder, { state: 'off', errorCount: 0, startError: 'the Hot Reload engine stopped; click to start it again' });
    }
  }

  /** The engine ended the folder's session by itself (the debugger's Stop): the folder is off. */
  endedByEngine(key: string): void {
    this.services.forget(key);
    this.on.delete(key);
    this.debugAddresses.delete(key);
  }

  private onConfigChanged(e: vscode.ConfigurationChangeEvent): void {
    for (const key of [...this.on]) {
      const folder = this.folderByKey(key);
      if (!folder || this.writingSettings.has(key) || !e.affectsConfiguration('hotReload', folder.uri)) continue;
      if (JSON.stringify(settingValues(this.context, folder)) !== this.startedWith.get(key)) {
        this.log.info(`settings changed: restarting hot reload in ${folder.name}`);
        void this.start(folder, { debug: this.debugAddresses.has(key) });
      }
    }
  }

  terminal(folder: vscode.WorkspaceFolder, service?: string): ProgramTerminal {
    return this.terminals.of(folder, service);
  }

  folderByKey(key: string): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === key);
  }

  setState(folder: vscode.WorkspaceFolder, state: Omit<FolderState, 'folderName'>): void {
    // Progress belongs to a build: a state other than building ends its notification.
    if (state.state !== 'building') this.buildProgress.end(folder.uri.toString());
    this.states.set(folder.uri.toString(), state);
    this.render();
  }

  /** Renders the state of the folder the user is looking at. */
  render(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) || folders.find((f) => this.on.has(f.uri.toString())) || folders[0];
    const state = (folder && this.states.get(folder.uri.toString())) ?? { state: 'off' as const, errorCount: 0 };
    const progress = folder && state.state === 'building' ? this.buildProgress.textFor(folder) : undefined;
    this.statusBar.render({ ...state, progress, folderName: folders.length > 1 ? folder?.name : undefined, restricted: !this.trusted });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
