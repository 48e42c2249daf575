import * as path from 'node:path';
import type { LogEntry, Problem, Status, WaitResult } from './messages';

/**
 * The control endpoint's answers as text, the same for every front end over it: the CLI's
 * subcommands print it, the MCP server and VS Code's language model tools hand it to the model.
 * Paths are written relative to `cwd` when inside it (as compilers write them), else absolute.
 */

/** `file:line:col: message`, as go build and tsc write errors (line or column left out when unknown). */
export function problemLine(problem: Problem, cwd: string): string {
  const where = [shortPath(problem.file, cwd), problem.line > 0 ? problem.line : undefined, problem.line > 0 && problem.column > 0 ? problem.column : undefined]
    .filter((part) => part !== undefined)
    .join(':');
  const related = problem.related.slice(0, 5).map((r) => `\n\t${shortPath(r.file, cwd)}:${r.line}${r.message ? ` ${r.message}` : ''}`);
  return `${where}: ${problem.message}${related.join('')}`;
}

/** A wait's answer: the version and address when it serves, else the errors and why. */
export function waitText(result: WaitResult, cwd: string): string {
  switch (result.outcome) {
    case 'serving': {
      const at = result.address ? ` at ${result.address}` : '';
      const pid = result.pid !== undefined ? `pid ${result.pid}, ` : '';
      return `v${result.version} serves${at} (${pid}${result.strategy}, waited ${result.waitedMs} ms)`;
    }
    case 'build-failed':
    case 'crashed':
      return [...result.errors.map((p) => problemLine(p, cwd)), result.message].join('\n');
    case 'timeout':
    case 'stopped':
      return result.message;
  }
}

/** `hotreload status` as text: one fact a line. */
export function statusText(status: Status, root: string, cwd: string, now = Date.now()): string {
  const version = status.version !== undefined ? ` · v${status.version}${status.pid !== undefined ? ` (pid ${status.pid})` : ''}` : '';
  const lines = [`state:    ${status.state}${version}${status.reloading && status.state !== 'building' ? ' · reloading' : ''}`];
  if (status.detail) lines.push(`detail:   ${status.detail}`);
  if (status.address) lines.push(`address:  ${status.address}`);
  lines.push(`strategy: ${status.strategy}${status.target ? ` · in ${status.target}` : ''}`);
  lines.push(`root:     ${root}`);
  if (status.lastReloadLine && status.lastReload) lines.push(`last:     ${status.lastReloadLine} · ${ago(now - status.lastReload.finishedAt)}`);
  lines.push(`errors:   ${status.errors.length === 0 ? 'none' : status.errors.length}`);
  for (const problem of status.errors) lines.push(`  ${problemLine(problem, cwd).replace(/\n/g, '\n  ')}`);
  return lines.join('\n');
}

/** Log entries as they read in a terminal: the program's output as it printed it, the engine's lines marked. */
export function logText(entries: readonly LogEntry[]): string {
  let text = '';
  for (const entry of entries) {
    if (entry.kind === 'output') text += entry.text;
    else text += `${text && !text.endsWith('\n') ? '\n' : ''}[hotreload] ${entry.text}\n`;
  }
  return text;
}

function shortPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function ago(ms: number): string {
  if (ms < 1000) return 'just now';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}
