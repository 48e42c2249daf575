import type { Connection } from 'vscode-languageserver/node';
import { reportLine, type Diagnostic, type ServiceSystem, type SystemEvent } from '../engine';
import { LogNotification, OutputNotification, ReportNotification, ServicesNotification, StateNotification } from '../protocol';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { OutputBatcher } from './outputBatcher';

/**
 * A workspace folder running several services (its hotReload.toml), translated to the protocol:
 * each service's output and reports for a terminal of its own (they carry its name); log lines
 * prefixed with it; Problems as the union of the services' diagnostics; the
 * services' states for the Services view; and one folder state the status bar sums up
 * ("4 services · v3").
 */
export class FolderSystem {
  private readonly diagnostics: DiagnosticsPublisher;
  /** Each service's output, batched for its own terminal. */
  private readonly outputs = new Map<string, OutputBatcher>();
  private readonly byService = new Map<string, readonly Diagnostic[]>();

  constructor(
    readonly folder: string,
    readonly system: ServiceSystem,
    private readonly connection: Connection,
  ) {
    this.diagnostics = new DiagnosticsPublisher(connection);
    system.events.on((event) => this.onEvent(event));
    system.changed.on(() => this.sendState());
  }

  async dispose(): Promise<void> {
    await this.system.dispose();
    for (const output of this.outputs.values()) output.dispose();
    this.diagnostics.publish([]);
  }

  private output(service: string): OutputBatcher {
    let output = this.outputs.get(service);
    if (!output) {
      output = new OutputBatcher((data, dropped) => this.connection.sendNotification(OutputNotification.type, { folder: this.folder, service, data, dropped }));
      this.outputs.set(service, output);
    }
    return output;
  }

  private onEvent({ service, event }: SystemEvent): void {
    const { folder } = this;
    switch (event.type) {
      case 'output':
        if (service !== undefined) this.output(service).write(event.data);
        break;
      case 'diagnostics':
        this.byService.set(service ?? '', event.diagnostics);
        this.diagnostics.publish([...this.byService.values()].flat());
        break;
      case 'reload':
        if (service !== undefined) this.output(service).flush();
        void this.connection.sendNotification(ReportNotification.type, {
          folder,
          service,
          report: event.report,
          line: reportLine(event.report, this.system.root),
        });
        break;
      case 'log':
        void this.connection.sendNotification(LogNotification.type, {
          folder,
          level: event.level,
          message: service === undefined ? event.message : `${service}: ${event.message}`,
        });
        break;
      default:
        break;
    }
  }

  private sendState(): void {
    const services = this.system.info();
    void this.connection.sendNotification(ServicesNotification.type, { folder: this.folder, services });
    void this.connection.sendNotification(StateNotification.type, { folder: this.folder, ...this.system.summary(services) });
  }
}
