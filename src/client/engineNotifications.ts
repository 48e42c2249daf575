import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ProgramTerminal } from './programTerminal';
import type { FolderState } from './statusView';
import { CrashSummaryNotification, LogNotification, OutputNotification, ProgressNotification, ReportNotification, StateNotification } from '../protocol';
import type { BuildProgress } from '../engine';

/** What the engine's notifications are rendered into: the log, each folder's terminal and state. */
export interface NotificationSink {
  readonly log: vscode.LogOutputChannel;
  folderByKey(key: string): vscode.WorkspaceFolder | undefined;
  /** The folder's program terminal, or one service's of a folder running several. */
  terminal(folder: vscode.WorkspaceFolder, service?: string): ProgramTerminal;
  setState(folder: vscode.WorkspaceFolder, state: Omit<FolderState, 'folderName'>): void;
  endedByEngine(key: string): void;
  progress(folder: vscode.WorkspaceFolder, progress: BuildProgress): void;
}

/** Renders the engine's state, reports, output and log lines as they arrive. */
export function listenToEngine(client: LanguageClient, sink: NotificationSink): void {
  const prefixFor = (f: vscode.WorkspaceFolder | undefined) => ((vscode.workspace.workspaceFolders?.length ?? 0) > 1 && f ? `[${f.name}] ` : '');
  client.onNotification(StateNotification.type, ({ folder, ...state }) => {
    if (state.state === 'off') sink.endedByEngine(folder);
    const f = sink.folderByKey(folder);
    if (f) sink.setState(f, state);
  });
  client.onNotification(ReportNotification.type, ({ folder, service, report, line }) => {
    const f = sink.folderByKey(folder);
    const good = report.outcome !== 'build-failed' && report.outcome !== 'crashed' && report.outcome !== 'rolled-back';
    const logged = `${prefixFor(f)}${service ? `${service}: ` : ''}${line}`;
    if (good) sink.log.info(logged);
    else sink.log.error(logged);
    if (f) sink.terminal(f, service).note(line);
  });
  client.onNotification(OutputNotification.type, ({ folder, service, data, dropped }) => {
    const f = sink.folderByKey(folder);
    if (!f) return;
    const terminal = sink.terminal(f, service);
    if (dropped > 0) terminal.note(`${dropped} bytes of output not shown: the program prints faster than the terminal can show`);
    terminal.write(data);
  });
  client.onNotification(CrashSummaryNotification.type, ({ folder, line }) => {
    const f = sink.folderByKey(folder);
    if (f) sink.terminal(f).crashSummary(line);
  });
  client.onNotification(ProgressNotification.type, ({ folder, progress }) => {
    const f = sink.folderByKey(folder);
    if (f) sink.progress(f, progress);
  });
  client.onNotification(LogNotification.type, ({ folder, level, message }) => {
    const f = sink.folderByKey(folder);
    if (level === 'error') sink.log.error(prefixFor(f) + message);
    else if (level === 'warn') sink.log.warn(prefixFor(f) + message);
    else sink.log.info(prefixFor(f) + message);
  });
}
