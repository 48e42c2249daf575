import type { Connection } from 'vscode-languageserver/node';
import { crashSummaryLine, OutputFlow, reportLine, type ControlEndpoint, type EngineEvent, type Session } from '../engine';
import { CrashSummaryNotification, LogNotification, OutputNotification, ProgressNotification, ReportNotification, StateNotification } from '../protocol';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { OutputBatcher } from './outputBatcher';

/**
 * One workspace folder's engine session, translated to the protocol:
 * engine events become diagnostics and hotReload/* notifications.
 */
export class FolderSession {
  private readonly diagnostics: DiagnosticsPublisher;
  private readonly output: OutputBatcher;
  private readonly flow: OutputFlow;

  constructor(
    readonly folder: string,
    readonly session: Session,
    private readonly connection: Connection,
    private readonly extras: {
      /** The session stopped without being asked by the client. */
      onStopped?: () => void;
      /** The session's control endpoint, closed with it. */
      control?: ControlEndpoint;
    } = {},
  ) {
    this.diagnostics = new DiagnosticsPublisher(connection);
    this.output = new OutputBatcher((data, dropped) => connection.sendNotification(OutputNotification.type, { folder, data, dropped }));
    this.flow = new OutputFlow(session, this.output);
    session.events.on((event) => this.onEvent(event));
  }

  get root(): string {
    return this.session.settings.root;
  }

  /**
   * Stops the session. `endedByItself`: nobody asked (a debugger's Stop ended it), so the client is
   * told the folder is off; a Stop or a new Start from the client needs no word (and a late 'off'
   * would turn off the session that replaces this one).
   */
  async dispose(options: { endedByItself?: boolean } = {}): Promise<void> {
    await this.session.dispose();
    await this.extras.control?.dispose();
    this.flow.dispose();
    this.output.dispose();
    this.diagnostics.publish([]);
    if (options.endedByItself) void this.connection.sendNotification(StateNotification.type, { folder: this.folder, state: 'off', errorCount: 0 });
  }

  private onEvent(event: EngineEvent): void {
    const folder = this.folder;
    switch (event.type) {
      case 'output':
        break; // OutputFlow writes it, holding the program back when the editor falls behind
      case 'diagnostics':
        this.diagnostics.publish(event.diagnostics);
        break;
      case 'reload':
        this.output.flush();
        void this.connection.sendNotification(ReportNotification.type, { folder, report: event.report, line: reportLine(event.report, this.root) });
        break;
      case 'crash-summary':
        this.output.flush(); // after the output it sums up, not before
        void this.connection.sendNotification(CrashSummaryNotification.type, {
          folder,
          line: crashSummaryLine(event, (l) => `${l.file}:${l.line}`),
        });
        break;
      case 'state': {
        if (event.state === 'stopped') this.extras.onStopped?.();
        const { type: _type, ...state } = event;
        void this.connection.sendNotification(StateNotification.type, { folder, ...state });
        break;
      }
      case 'log':
        void this.connection.sendNotification(LogNotification.type, { folder, level: event.level, message: event.message });
        break;
      case 'progress':
        void this.connection.sendNotification(ProgressNotification.type, { folder, progress: event.progress });
        break;
    }
  }
}
