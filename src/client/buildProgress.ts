import * as vscode from 'vscode';
import type { BuildProgress } from '../engine';

/**
 * A slow build's progress as VS Code users expect it: a cancellable progress notification per
 * folder (downloading modules, compiling N of M packages) that goes when the build ends. The
 * status bar shows the same line (`textFor`). Cancel stops hot reload in the folder, which stops
 * the build.
 */
export class BuildProgressNotifications implements vscode.Disposable {
  private readonly open = new Map<string, { report(progress: BuildProgress): void; end(): void }>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly onCancel: (folder: vscode.WorkspaceFolder) => void) {}

  /** The status bar's line for the folder while its build shows progress. */
  textFor(folder: vscode.WorkspaceFolder): string | undefined {
    return this.texts.get(folder.uri.toString());
  }

  show(folder: vscode.WorkspaceFolder, progress: BuildProgress): void {
    const key = folder.uri.toString();
    if (progress.phase === 'done') {
      this.end(key);
      return;
    }
    this.texts.set(key, progress.message);
    let shown = this.open.get(key);
    if (!shown) {
      shown = this.notify(folder);
      this.open.set(key, shown);
    }
    shown.report(progress);
  }

  /** The folder stopped (or its engine went): its notification goes. */
  end(key: string): void {
    this.texts.delete(key);
    this.open.get(key)?.end();
    this.open.delete(key);
  }

  private notify(folder: vscode.WorkspaceFolder): { report(progress: BuildProgress): void; end(): void } {
    let end = () => undefined as void;
    let reporter: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    let first: BuildProgress | undefined;
    let percent = 0;
    const report = (progress: BuildProgress) => {
      if (!reporter) {
        first = progress;
        return;
      }
      // A share of the bar once the packages are counted; the line alone before.
      const now = progress.phase === 'compiling' && progress.total ? Math.min(100, (100 * progress.count) / progress.total) : percent;
      reporter.report({ message: progress.message, increment: Math.max(0, now - percent) });
      percent = Math.max(percent, now);
    };
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hot Reload: building ${folder.name}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          reporter = progress;
          end = resolve;
          token.onCancellationRequested(() => {
            resolve();
            this.onCancel(folder);
          });
          if (first) report(first);
        }),
    );
    return { report, end: () => end() };
  }

  dispose(): void {
    for (const key of [...this.open.keys()]) this.end(key);
  }
}
