import * as vscode from 'vscode';
import { statusView, type FolderState } from './statusView';

/** How often a shown relative time ("reloaded 12 s ago") is brought up to date. */
const TICK_MS = 1000;

/** The status bar item: a rendering of one folder's state (the active editor's folder). */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hotReload.status', vscode.StatusBarAlignment.Left, 100);
  private state: FolderState | undefined;
  private shownTooltip = '';
  private shownText = '';
  /** Runs while the tooltip says a relative time, so it stays true while it is open. */
  private ticker: NodeJS.Timeout | undefined;

  constructor() {
    this.item.name = 'Hot Reload';
  }

  render(state: FolderState): void {
    this.state = state;
    this.shownTooltip = '';
    this.shownText = '';
    this.apply();
    const relative = state.state === 'running' && state.lastReloadAt !== undefined;
    if (relative && !this.ticker) this.ticker = setInterval(() => this.apply(), TICK_MS);
    if (!relative) this.stopTicker();
  }

  private apply(): void {
    if (!this.state) return;
    const view = statusView(this.state);
    // Only what changed is set again: an unchanged tooltip is left alone, so an open one does not flicker.
    if (view.text !== this.shownText) {
      this.shownText = view.text;
      this.item.text = view.text;
      this.item.accessibilityInformation = { label: `Hot Reload: ${view.text.replace(/\$\([^)]*\)\s*/g, '')}` };
      this.item.command = view.command;
      this.item.backgroundColor =
        view.background === 'none'
          ? undefined
          : new vscode.ThemeColor(view.background === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    }
    if (view.tooltip !== this.shownTooltip) {
      this.shownTooltip = view.tooltip;
      const tooltip = new vscode.MarkdownString(view.tooltip, true);
      tooltip.isTrusted = true;
      this.item.tooltip = tooltip;
    }
    this.item.show();
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  dispose(): void {
    this.stopTicker();
    this.item.dispose();
  }
}
