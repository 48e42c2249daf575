import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';

/**
 * The editor's open buffers of the files the engine builds from (Go files), kept up to date from
 * didOpen/didChange/didClose; each new text goes to `onText` (undefined when closed). The engine
 * decides what to do with it.
 */
export class EditorBuffers {
  private readonly documents = new Map<string, TextDocument>();

  constructor(private readonly onText: (file: string, text: string | undefined) => void) {}

  open(uri: string, languageId: string, version: number, text: string): void {
    if (!isFile(uri)) return;
    const document = TextDocument.create(uri, languageId, version, text);
    this.documents.set(uri, document);
    this.onText(URI.parse(uri).fsPath, text);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const document = this.documents.get(uri);
    if (!document) return;
    TextDocument.update(document, changes, version);
    this.onText(URI.parse(uri).fsPath, document.getText());
  }

  /** Every open buffer, for a session that starts after they were opened. */
  forEach(fn: (file: string, text: string) => void): void {
    for (const [uri, document] of this.documents) fn(URI.parse(uri).fsPath, document.getText());
  }

  close(uri: string): void {
    if (!this.documents.delete(uri)) return;
    this.onText(URI.parse(uri).fsPath, undefined);
  }
}

function isFile(uri: string): boolean {
  return uri.startsWith('file:');
}
