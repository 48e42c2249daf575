import * as vscode from 'vscode';
import type { EngineClient } from './engineClient';
import { ServiceActionRequest, ServicesNotification, WriteServicesRequest, type ServicesNotification as Services } from '../protocol';
import { duration } from './statusView';

type ServiceInfo = Services.Params['services'][number];

/** A service in the view: its folder (by key) and what the engine last said of it. */
interface ServiceItem {
  folder: string;
  info: ServiceInfo;
}

const ICONS: Record<ServiceInfo['state'], string> = {
  waiting: 'circle-outline',
  starting: 'sync~spin',
  ready: 'pass-filled',
  failed: 'error',
  held: 'debug-pause',
  stopped: 'debug-stop',
};

/**
 * The Hot Reload Services view (in the Explorer): the services of every folder that runs a
 * hotreload.toml, each with its state, version, address and last reload, and its own start,
 * stop, restart and open buttons. It shows what the engine sends (hotReload/services) and sends
 * the buttons back as requests; it decides nothing.
 */
export class ServicesView implements vscode.TreeDataProvider<ServiceItem>, vscode.Disposable {
  private readonly byFolder = new Map<string, ServiceInfo[]>();
  private readonly changed = new vscode.EventEmitter<ServiceItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly engine: EngineClient,
    /** Attaches VS Code's debugger to a service the engine now runs under Delve. */
    private readonly debug: (folder: string, service: string, address: string) => Promise<void>,
  ) {
    this.disposables.push(
      this.changed,
      vscode.window.createTreeView('hotReload.services', { treeDataProvider: this, showCollapseAll: false }),
      ...(['start', 'stop', 'restart', 'debug'] as const).map((action) =>
        vscode.commands.registerCommand(`hotReload.service.${action}`, (item: ServiceItem | undefined) => this.act(item, action)),
      ),
      vscode.commands.registerCommand('hotReload.service.open', (item: ServiceItem | undefined) => {
        if (item?.info.url) void vscode.env.openExternal(vscode.Uri.parse(item.info.url));
      }),
    );
  }

  /** The engine's word on a folder's services (an empty list: the folder runs none now). */
  update({ folder, services }: Services.Params): void {
    const shown = this.byFolder.size > 0;
    if (services.length === 0 || services.every((s) => s.state === 'stopped')) this.byFolder.delete(folder);
    else this.byFolder.set(folder, services);
    // Services that start show at once (the view is collapsed below the Explorer's tree otherwise).
    if (!shown && this.byFolder.size > 0) setTimeout(() => void vscode.commands.executeCommand('hotReload.services.focus'), 0);
    void vscode.commands.executeCommand('setContext', 'hotReload.hasServices', this.byFolder.size > 0);
    this.changed.fire(undefined);
  }

  /** The folder stopped (or the engine went): its services are gone from the view. */
  forget(folder: string): void {
    if (this.byFolder.delete(folder)) this.update({ folder, services: [] });
  }

  listen(client: { onNotification: (type: typeof ServicesNotification.type, handler: (params: Services.Params) => void) => unknown }): void {
    client.onNotification(ServicesNotification.type, (params) => this.update(params));
  }

  getChildren(element?: ServiceItem): ServiceItem[] {
    if (element) return [];
    return [...this.byFolder].flatMap(([folder, services]) => services.map((info) => ({ folder, info })));
  }

  getTreeItem({ info }: ServiceItem): vscode.TreeItem {
    const item = new vscode.TreeItem(info.name, vscode.TreeItemCollapsibleState.None);
    item.id = info.name;
    item.description = describe(info);
    item.tooltip = [`${info.name} (${info.kind}): ${info.state}`, info.detail, info.pid ? `pid ${info.pid}` : undefined].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon(info.reloading ? 'sync~spin' : ICONS[info.state]);
    // The buttons each state allows (package.json menus match on it).
    item.contextValue = `service-${info.state}${info.kind !== 'command' ? '-debuggable' : ''}${info.url && info.state === 'ready' ? '-open' : ''}`;
    return item;
  }

  /** "Run them all": has the engine write the folder's hotreload.toml; false (said why) when it did not. */
  async writeServicesFile(folder: string, log: vscode.LogOutputChannel): Promise<boolean> {
    const written = await (await this.engine.get()).sendRequest(WriteServicesRequest.type, { folder });
    if (written.written) log.info(`wrote ${written.file}: ${written.services.join(', ')}`);
    else void vscode.window.showWarningMessage(`Hot Reload: ${written.reason}`);
    return written.written;
  }

  private async act(item: ServiceItem | undefined, action: ServiceActionRequest.Params['action']): Promise<void> {
    if (!item) return;
    const client = await this.engine.get();
    const result = await client.sendRequest(ServiceActionRequest.type, { folder: item.folder, service: item.info.name, action });
    if (!result.done) void vscode.window.showWarningMessage(`Hot Reload: ${result.reason}`);
    else if (result.debugAddress) await this.debug(item.folder, item.info.name, result.debugAddress);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** "v3 · 127.0.0.1:8081 · 412 ms", or the state and why. */
function describe(info: ServiceInfo): string {
  if (info.state !== 'ready') return info.state;
  const address = info.url?.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const errors = info.errorCount > 0 ? `${info.errorCount} error${info.errorCount === 1 ? '' : 's'}` : undefined;
  return [
    info.version !== undefined ? `v${info.version}` : 'running',
    address,
    errors,
    info.lastReloadMs !== undefined ? duration(info.lastReloadMs) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}
