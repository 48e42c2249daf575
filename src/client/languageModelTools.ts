import * as vscode from 'vscode';
import { AGENT_TOOLS, runAgentTool, type SessionQuery } from '../engine';

/**
 * The part of VS Code's language model API (stable since 1.95) these tools use, declared here
 * because the extension supports VS Code 1.82 and its types: on an older VS Code `vscode.lm` is
 * absent and no tool is registered (the contribution in package.json is then ignored).
 */
interface LanguageModelApi {
  registerTool(
    name: string,
    tool: {
      invoke(options: { input: object }, token: vscode.CancellationToken): Promise<unknown>;
      prepareInvocation?(options: { input: object }): { invocationMessage: string };
    },
  ): vscode.Disposable;
}

interface LanguageModelClasses {
  LanguageModelToolResult: new (content: unknown[]) => unknown;
  LanguageModelTextPart: new (value: string) => unknown;
}

/** What the chat shows while a tool runs. */
const RUNNING: Record<string, string> = {
  hotreload_wait: 'Waiting for Hot Reload to serve the code on disk',
  hotreload_status: 'Asking Hot Reload for its status',
  hotreload_errors: 'Reading the build errors',
  hotreload_logs: 'Reading the program’s output',
  hotreload_restart: 'Restarting the program',
};

/**
 * Hot Reload's tools for agents in VS Code's chat (status, wait after an edit, build errors, recent
 * output, restart), the same as `hotreload mcp` serves: each call goes to the control endpoint of
 * the session that runs for the active editor's folder, else for another workspace folder, so a
 * session started from a terminal answers too.
 */
export function registerLanguageModelTools(): vscode.Disposable[] {
  const api = vscode as unknown as { lm?: Partial<LanguageModelApi> } & Partial<LanguageModelClasses>;
  const lm = api.lm;
  const { LanguageModelToolResult, LanguageModelTextPart } = api;
  if (typeof lm?.registerTool !== 'function' || !LanguageModelToolResult || !LanguageModelTextPart) return [];
  return AGENT_TOOLS.map((tool) =>
    lm.registerTool!(tool.name, {
      prepareInvocation: () => ({ invocationMessage: RUNNING[tool.name] ?? tool.title }),
      async invoke(options) {
        const answer = await runAgentTool(tool.name, options.input as Record<string, unknown>, folderQueries());
        // A failure the model should see and act on (no session: start one) is text; a thrown error would read as the tool's bug.
        return new LanguageModelToolResult([new LanguageModelTextPart(answer.isError ? `Hot Reload: ${answer.text}` : answer.text)]);
      },
    }),
  );
}

/** The active editor's folder first, then the other workspace folders (each with the sessions of folders inside it). */
function folderQueries(): SessionQuery[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const active = vscode.window.activeTextEditor?.document.uri;
  const first = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  const ordered = first ? [first, ...folders.filter((f) => f !== first)] : folders;
  return ordered.map((f) => ({ cwd: f.uri.fsPath, orInside: true }));
}
