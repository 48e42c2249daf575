import type { Connection } from 'vscode-languageserver/node';
import { reportLine, type Diagnostic, type ServiceInfo, type ServiceSystem, type SystemEvent } from '../engine';
import { LogNotification, OutputNotification, ReportNotification, ServicesNotification, StateNotification, type StateNotification as State } from '../protocol';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { OutputBatcher } from './outputBatcher';

/**
 * A workspace folder running several services (its hotReload.toml), translated to the protocol:
 * every service's output in the folder's one terminal, each line prefixed with its name; reports
 * and log lines prefixed the same way; Problems as the union of the services' diagnostics; the
 * services' states for the Services view; and one folder state the status bar sums up
 * ("4 services · v3").
 */
export class FolderSystem {
  private readonly diagnostics: DiagnosticsPublisher;
  private readonly output: OutputBatcher;
  private readonly byService = new Map<string, readonly Diagnostic[]>();
  private readonly partial = new Map<string, string>();
  private readonly width: number;

  constructor(
    readonly folder: string,
    readonly system: ServiceSystem,
    private readonly connection: Connection,
  ) {
    this.diagnostics = new DiagnosticsPublisher(connection);
    this.output = new OutputBatcher((data, dropped) => connection.sendNotification(OutputNotification.type, { folder, data, dropped }));
    this.width = Math.max(...system.services.map((s) => s.spec.name.length));
    system.events.on((event) => this.onEvent(event));
    system.changed.on(() => this.sendState());
  }

  async dispose(): Promise<void> {
    await this.system.dispose();
    this.output.dispose();
    this.diagnostics.publish([]);
  }

  private prefix(service: string | undefined): string {
    return service === undefined ? '' : `${service.padEnd(this.width)} | `;
  }

  private onEvent({ service, event }: SystemEvent): void {
    const { folder } = this;
    const head = this.prefix(service);
    switch (event.type) {
      case 'output': {
        // Whole lines, each with its service's name: two services never mix within a line.
        const lines = ((this.partial.get(service ?? '') ?? '') + event.data).split('\n');
        this.partial.set(service ?? '', lines.pop() ?? '');
        if (lines.length > 0) this.output.write(lines.map((line) => `${head}${line}\r\n`).join(''));
        break;
      }
      case 'diagnostics':
        this.byService.set(service ?? '', event.diagnostics);
        this.diagnostics.publish([...this.byService.values()].flat());
        break;
      case 'reload':
        this.output.flush();
        void this.connection.sendNotification(ReportNotification.type, {
          folder,
          report: event.report,
          line: `${head}${reportLine(event.report, this.system.root)}`,
        });
        break;
      case 'log':
        void this.connection.sendNotification(LogNotification.type, { folder, level: event.level, message: `${head}${event.message}` });
        break;
      default:
        break;
    }
  }

  private sendState(): void {
    const services = this.system.info();
    void this.connection.sendNotification(ServicesNotification.type, { folder: this.folder, services });
    void this.connection.sendNotification(StateNotification.type, { folder: this.folder, ...folderState(services, this.system.generation) });
  }
}

/** One state for the folder: starting or building while any is, failed while any has errors, else running. */
function folderState(services: ServiceInfo[], generation: number): Omit<State.Params, 'folder'> {
  const errorCount = services.reduce((sum, s) => sum + s.errorCount, 0);
  const state = services.some((s) => s.state === 'starting' || s.state === 'waiting')
    ? 'starting'
    : services.some((s) => s.reloading)
      ? 'building'
      : services.some((s) => s.state === 'failed') || errorCount > 0
        ? 'failed'
        : services.every((s) => s.state === 'stopped')
          ? 'stopped'
          : 'running';
  const detail = services.map((s) => `${s.name} ${s.state === 'ready' && s.version !== undefined ? `v${s.version}` : s.state}`).join(' · ');
  // The page a browser opens: the last service with an address (the front, as services start in dependency order).
  const url = [...services].reverse().find((s) => s.url && s.state === 'ready')?.url;
  return { state, errorCount, detail, services: services.length, version: generation > 0 ? generation : undefined, url };
}
