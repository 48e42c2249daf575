import * as vscode from 'vscode';
import { statusView, type FolderState } from './statusView';

/** The status bar item: a rendering of one folder's state (the active editor's folder). */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hotReload.status', vscode.StatusBarAlignment.Left, 100);

  constructor() {
    this.item.name = 'Hot Reload';
  }

  render(state: FolderState): void {
    const view = statusView(state);
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = true;
    this.item.tooltip = tooltip;
    this.item.command = view.command;
    this.item.accessibilityInformation = { label: `Hot Reload: ${view.text.replace(/\$\([^)]*\)\s*/g, '')}` };
    this.item.backgroundColor =
      view.background === 'none'
        ? undefined
        : new vscode.ThemeColor(view.background === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
