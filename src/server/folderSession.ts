import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Connection, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { crashSummaryLine, OutputFlow, reportLine, type ControlEndpoint, type Diagnostic, type EngineEvent, type Session } from '../engine';
import { CrashSummaryNotification, LogNotification, OutputNotification, ProgressNotification, ReportNotification, StateNotification } from '../protocol';
import { OutputBatcher } from './outputBatcher';

/**
 * One workspace folder's engine session, translated to the protocol:
 * engine events become diagnostics and hotReload/* notifications.
 */
export class FolderSession {
  private publishedUris = new Set<string>();
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
    this.publishDiagnostics([]);
    if (options.endedByItself) void this.connection.sendNotification(StateNotification.type, { folder: this.folder, state: 'off', errorCount: 0 });
  }

  private onEvent(event: EngineEvent): void {
    const folder = this.folder;
    switch (event.type) {
      case 'output':
        break; // OutputFlow writes it, holding the program back when the editor falls behind
      case 'diagnostics':
        this.publishDiagnostics(event.diagnostics);
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

  private publishDiagnostics(diagnostics: readonly Diagnostic[]): void {
    const byUri = new Map<string, LspDiagnostic[]>();
    for (const d of diagnostics) {
      const uri = URI.file(d.file).toString();
      const list = byUri.get(uri) ?? [];
      list.push(toLsp(d));
      byUri.set(uri, list);
    }
    for (const uri of this.publishedUris) {
      if (!byUri.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    for (const [uri, list] of byUri) void this.connection.sendDiagnostics({ uri, diagnostics: list });
    this.publishedUris = new Set(byUri.keys());
  }
}

/** Engine positions are 1-based with 0 for "unknown"; LSP ranges are 0-based. */
function toLsp(d: Diagnostic): LspDiagnostic {
  const line = Math.max(0, d.line - 1);
  const character = Math.max(0, d.column - 1);
  return {
    range: { start: { line, character }, end: { line, character: d.column > 0 ? character + 1 : Number.MAX_SAFE_INTEGER >>> 1 } },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: `hot reload (${d.source})`,
    message: d.message,
    relatedInformation: d.related.map((r) => ({
      location: {
        uri: URI.file(r.file).toString(),
        range: { start: { line: Math.max(0, r.line - 1), character: Math.max(0, r.column - 1) }, end: { line: Math.max(0, r.line - 1), character: 1000 } },
      },
      message: r.message || path.basename(r.file),
    })),
  };
}
