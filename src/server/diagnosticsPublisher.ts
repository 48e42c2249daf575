import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Connection, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic } from '../engine';

/** Publishes a folder's complete set of engine diagnostics as LSP diagnostics, clearing the files no longer in it. */
export class DiagnosticsPublisher {
  private publishedUris = new Set<string>();

  constructor(private readonly connection: Connection) {}

  publish(diagnostics: readonly Diagnostic[]): void {
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
