/**
 * What the status bar shows for a folder's state: pure, so it is tested
 * without an editor. The item itself (statusBar.ts) only applies this.
 */
import type { StateNotification } from '../protocol';

export type FolderState = Omit<StateNotification.Params, 'folder'> & {
  /** The folder's name, shown when there are several. */
  folderName?: string;
  /** A start that failed before any session existed (configuration errors). */
  startError?: string;
  /** The workspace is not trusted: nothing may run. */
  restricted?: boolean;
  /** A slow build's progress line ("compiling 12 of 187 packages"). */
  progress?: string;
};

export interface StatusView {
  text: string;
  /** Markdown with command links. */
  tooltip: string;
  background: 'none' | 'warning' | 'error';
  /** The command a click runs. */
  command: 'hotReload.toggle' | 'hotReload.manageTrust';
}

const LINKS =
  '[Restart](command:hotReload.restart) · [Start Debugging](command:hotReload.startDebugging) · [Stop](command:hotReload.stop) · [Show Output](command:hotReload.showOutput) · [Show Changes](command:hotReload.showChanges) · [Settings](command:hotReload.openSettings)';

/** Links to the page, where a version serves it. */
function pageLinks(s: FolderState): string {
  return s.url
    ? `\n\n[$(globe) Open in Browser](command:hotReload.openInBrowser) · [Simple Browser](command:hotReload.openInSimpleBrowser) · ${escapeMarkdown(s.url)}`
    : '';
}

export function statusView(s: FolderState, now: Date = new Date()): StatusView {
  const where = s.folderName ? ` (${s.folderName})` : '';
  const detail = s.detail ? `\n\n${escapeMarkdown(s.detail)}` : '';
  const version = s.version !== undefined ? `v${s.version}` : '';
  if (s.restricted) {
    return {
      text: '$(shield) Hot Reload',
      tooltip: `Hot Reload is disabled: this workspace is not trusted, and hot reload runs build and program commands.\n\n[Manage Workspace Trust](command:hotReload.manageTrust)`,
      background: 'none',
      command: 'hotReload.manageTrust',
    };
  }
  switch (s.state) {
    case 'off':
    case 'stopped':
      if (s.startError) {
        return {
          text: '$(warning) Hot Reload',
          tooltip: `Hot Reload could not start${where}:\n\n${escapeMarkdown(s.startError)}\n\n[Start](command:hotReload.start) · [Show Log](command:hotReload.showLog) · [Settings](command:hotReload.openSettings)`,
          background: 'warning',
          command: 'hotReload.toggle',
        };
      }
      return {
        text: '$(debug-start) Hot Reload',
        tooltip: `Hot Reload is off${where}. Click to start.\n\n[Start](command:hotReload.start) · [Start Debugging](command:hotReload.startDebugging) · [Select Target](command:hotReload.selectTarget) · [Settings](command:hotReload.openSettings)`,
        background: 'none',
        command: 'hotReload.toggle',
      };
    case 'building':
    case 'starting':
      return {
        text: `$(sync~spin) Hot Reload: ${(s.state === 'building' && s.progress) || s.state}${version ? ` (${version} serving)` : ''}`,
        tooltip: `Hot Reload${where}: ${s.state}…${detail}\n\n${LINKS}${version ? pageLinks(s) : ''}`,
        background: 'none',
        command: 'hotReload.toggle',
      };
    case 'running': {
      const at = s.lastReloadAt ? ` · ${clock(new Date(s.lastReloadAt))}` : '';
      // A live patch and a rollback are worth seeing at a glance; a plain restart is the norm.
      const how = s.lastOutcome === 'patched' ? ' patched' : s.lastOutcome === 'rolled-back' ? ' (rolled back)' : '';
      const inTarget = s.target ? ` · in ${s.target}` : '';
      return {
        text: `$(zap) ${version}${how}${inTarget}${at}`,
        tooltip: `Hot Reload${where}: ${version} running${s.target ? ` in ${escapeMarkdown(s.target)}` : ''}${s.pid ? ` (pid ${s.pid})` : ''}${s.strategy ? `, ${s.strategy} strategy` : ''}${s.lastReloadAt ? `, reloaded ${ago(s.lastReloadAt, now)}` : ''}.${detail}\n\nClick to stop.\n\n${LINKS}${pageLinks(s)}`,
        background: s.errorCount > 0 ? 'warning' : 'none',
        command: 'hotReload.toggle',
      };
    }
    case 'failed': {
      const count = `${s.errorCount} error${s.errorCount === 1 ? '' : 's'}`;
      return {
        text: `$(error) ${version ? `${version} · ` : ''}${count}`,
        tooltip: `Hot Reload${where}: the last build failed (${count}, see Problems).${version ? ` ${version} is still serving.` : ''}${detail}\n\n${LINKS}${version ? pageLinks(s) : ''}`,
        background: 'warning',
        command: 'hotReload.toggle',
      };
    }
    case 'crashed':
      return {
        text: `$(flame) Hot Reload: crashed`,
        tooltip: `Hot Reload${where}: the program crashed.${detail}\n\n${LINKS}`,
        background: 'error',
        command: 'hotReload.toggle',
      };
    case 'idle':
      return {
        text: `$(circle-outline) ${version ? `${version} ` : ''}exited`,
        tooltip: `Hot Reload${where}: the program exited.${detail}\n\n${LINKS}`,
        background: 'none',
        command: 'hotReload.toggle',
      };
  }
}

function clock(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

function ago(at: number, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `at ${clock(new Date(at))}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
