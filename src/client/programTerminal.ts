import * as vscode from 'vscode';

/**
 * The program's terminal: its stdout and stderr with colours, and what the
 * user types goes to its stdin, a line at a time with local echo (the program
 * reads a pipe, so the terminal does the line editing).
 */
export class ProgramTerminal implements vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private terminal: vscode.Terminal | undefined;
  private line = '';
  private opened = false;
  private backlog: string[] = [];
  /** The terminal's width, once it has one (for the crash separator). */
  private columns = 80;

  constructor(
    private readonly name: string,
    private readonly sendInput: (data: string) => void,
  ) {}

  show(preserveFocus = true): void {
    this.ensure().show(preserveFocus);
  }

  write(data: string): void {
    const text = data.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writeEmitter.fire(text);
    else {
      this.backlog.push(text);
      // Keep what arrives before the terminal opens bounded.
      if (this.backlog.length > 2000) this.backlog.splice(0, this.backlog.length - 2000);
    }
  }

  /** A line from Hot Reload itself, set apart from the program's output. */
  note(message: string): void {
    this.write(`\x1b[2m[hot reload] ${message}\x1b[0m\n`);
  }

  /**
   * A crash on start summed up (engine text) below the output of the version serving again, which
   * pushed the crash out of view: a marked separator, then the line; its path:line is a link.
   */
  crashSummary(line: string): void {
    const label = ' crash on start ';
    const rule = `━━${label}${'━'.repeat(Math.max(4, Math.min(this.columns, 160) - label.length - 2))}`;
    this.write(`\n\x1b[31m${rule}\x1b[0m\n\x1b[1;31m✖\x1b[0m \x1b[31m${line}\x1b[0m\n`);
  }

  ensure(): vscode.Terminal {
    if (this.terminal && this.terminal.exitStatus === undefined) return this.terminal;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writeEmitter.event,
      open: (dimensions) => {
        this.opened = true;
        if (dimensions) this.columns = dimensions.columns;
        for (const text of this.backlog.splice(0)) this.writeEmitter.fire(text);
      },
      close: () => {
        this.opened = false;
        this.terminal = undefined;
      },
      handleInput: (data) => this.handleInput(data),
      setDimensions: (dimensions) => {
        this.columns = dimensions.columns;
      },
    };
    this.terminal = vscode.window.createTerminal({ name: this.name, pty, iconPath: new vscode.ThemeIcon('zap') });
    return this.terminal;
  }

  private handleInput(data: string): void {
    for (const ch of data) {
      if (ch === '\r') {
        this.writeEmitter.fire('\r\n');
        this.sendInput(`${this.line}\n`);
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.writeEmitter.fire('\b \b');
        }
      } else if (ch === '\x04') {
        // Ctrl+D: send what is typed without a newline.
        this.sendInput(this.line);
        this.line = '';
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        this.writeEmitter.fire(ch);
      }
    }
  }

  dispose(): void {
    this.terminal?.dispose();
    this.writeEmitter.dispose();
  }
}
