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

/** Links to the page, where a version serves it (the address itself is in `serving`). */
function pageLinks(s: FolderState): string {
  return s.url ? `\n\n[$(globe) Open in Browser](command:hotReload.openInBrowser) · [Simple Browser](command:hotReload.openInSimpleBrowser)` : '';
}

/** How the program is run and where it serves, the address as a link. */
function serving(s: FolderState): string {
  const parts = [s.strategy ? `strategy: ${s.strategy}` : '', s.url ? `serves [${escapeMarkdown(s.url)}](${s.url})` : ''].filter(Boolean);
  return parts.length ? `\n\n${parts.join(' · ')}` : '';
}

export function statusView(s: FolderState, now: Date = new Date()): StatusView {
  const shown = shownAlways(s);
  const { where, detail, version } = shown;
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
      return offView(s, shown);
    case 'building':
    case 'starting':
      return {
        text: `$(sync~spin) Hot Reload: ${(s.state === 'building' && s.progress) || s.state}${version ? ` (${version} serving)` : ''}`,
        tooltip: `Hot Reload${where}: ${s.state}…${detail}${version ? serving(s) : ''}\n\n${LINKS}${version ? pageLinks(s) : ''}`,
        background: 'none',
        command: 'hotReload.toggle',
      };
    case 'running':
      return runningView(s, shown, now);
    case 'failed':
      return failedView(s, shown);
    case 'crashed':
      return {
        text: `$(flame) Hot Reload: ${s.headline ?? 'crashed'}`,
        tooltip: `Hot Reload${where}: ${s.headline ? `the program is not serving (${escapeMarkdown(s.headline)})` : 'the program crashed'}.${detail}\n\n${LINKS}`,
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

/** What every state shows the same way: which folder, the engine's detail, the serving version. */
interface Shown {
  /** " (folder)" when there are several, else empty. */
  where: string;
  /** The detail as a tooltip paragraph, or empty. */
  detail: string;
  /** "v3", or empty before the first version. */
  version: string;
}

function shownAlways(s: FolderState): Shown {
  return {
    where: s.folderName ? ` (${s.folderName})` : '',
    detail: s.detail ? `\n\n${escapeMarkdown(s.detail)}` : '',
    version: s.version !== undefined ? `v${s.version}` : '',
  };
}

/** Off, or stopped: why it could not start, when that is what stopped it. */
function offView(s: FolderState, { where }: Shown): StatusView {
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
}

/** Serving: the version, where, and what the last reload was and how long it took (true however long it is shown). */
function runningView(s: FolderState, { where, detail, version }: Shown, now: Date): StatusView {
  const took = s.lastReloadMs !== undefined ? duration(s.lastReloadMs) : undefined;
  const verb = s.lastOutcome === 'rolled-back' ? 'rolled back' : s.lastOutcome === 'patched' ? 'patched' : s.lastOutcome === 'started' ? 'started' : 'reloaded';
  const inTarget = s.target ? ` · in ${s.target}` : '';
  const last = s.lastReloadAt ? ` · ${verb}${took && s.lastOutcome !== 'rolled-back' ? ` in ${took}` : ''}` : '';
  // Relative, so the status bar re-renders it while it is shown (statusBar.ts).
  const when = s.lastReloadAt ? ` ${capitalize(verb)} ${ago(s.lastReloadAt, now)} (at ${clock(new Date(s.lastReloadAt))})${took ? `, took ${took}` : ''}.` : '';
  return {
    text: `$(zap) ${s.services ? `${s.services} services · ` : ''}${version}${inTarget}${last}`,
    tooltip: `Hot Reload${where}: ${version} running${s.target ? ` in ${escapeMarkdown(s.target)}` : ''}${s.pid ? ` (pid ${s.pid})` : ''}.${when}${serving(s)}${detail}\n\nClick to stop.\n\n${LINKS}${pageLinks(s)}`,
    background: s.errorCount > 0 ? 'warning' : 'none',
    command: 'hotReload.toggle',
  };
}

/** The last build failed: how many errors, and whether an older version still serves. */
function failedView(s: FolderState, { where, version }: Shown): StatusView {
  const count = `${s.errorCount} error${s.errorCount === 1 ? '' : 's'}`;
  return {
    text: `$(error) ${version ? `${version} · ` : ''}${count}`,
    tooltip: `Hot Reload${where}: the last build failed (${count}, see Problems).${version ? ` ${version} is still serving.` : ''}${failedDetail(s.detail)}${version ? serving(s) : ''}\n\n${LINKS}${version ? pageLinks(s) : ''}`,
    background: 'warning',
    command: 'hotReload.toggle',
  };
}

function clock(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

/**
 * The engine's reason for a failed build, unless it only repeats the headline ("build failed: 2
 * errors; v4 still serving"): a reason with no diagnostics behind it is worth showing.
 */
function failedDetail(detail: string | undefined): string {
  if (!detail) return '';
  const reason = detail.replace(/; v\d+ still serving$/, '');
  return /^build failed: \d+ error(s|\(s\))?$/.test(reason) ? '' : `\n\n${escapeMarkdown(reason)}`;
}

/** A reload's duration: "80 ms", "1.2 s", "14 s", "2 min 5 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * How long ago, in steps of 10 s, then minutes: an open tooltip is rendered again at each step,
 * which replaces its links under the pointer, so not every second.
 */
function ago(at: number, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - at) / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${Math.floor(seconds / 10) * 10} s ago`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ${minutes % 60} min ago`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
