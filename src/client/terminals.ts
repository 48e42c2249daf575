import type * as vscode from 'vscode';
import { ProgramTerminal } from './programTerminal';

/**
 * The program terminals: one per folder, and one per service of a folder that runs several
 * (named after the service). What the user types goes back to the engine for that program.
 */
export class Terminals implements vscode.Disposable {
  private readonly byId = new Map<string, ProgramTerminal>();

  constructor(private readonly sendInput: (folder: string, service: string | undefined, data: string) => void) {}

  of(folder: vscode.WorkspaceFolder, service?: string): ProgramTerminal {
    const key = folder.uri.toString();
    const id = service === undefined ? key : `${key}#${service}`;
    let terminal = this.byId.get(id);
    if (!terminal) {
      terminal = new ProgramTerminal(service === undefined ? `Hot Reload: ${folder.name}` : `${service} · Hot Reload`, (data) =>
        this.sendInput(key, service, data),
      );
      this.byId.set(id, terminal);
      terminal.show(true);
    }
    return terminal;
  }

  /** The folder's own terminal, when it has been opened. */
  existing(folder: string): ProgramTerminal | undefined {
    return this.byId.get(folder);
  }

  dispose(): void {
    for (const terminal of this.byId.values()) terminal.dispose();
  }
}
