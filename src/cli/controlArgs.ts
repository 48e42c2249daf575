import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseMs, type SessionQuery } from '../engine';

/** The subcommands that drive a running session through its control endpoint. */
export const CONTROL_COMMANDS = ['wait', 'status', 'logs', 'restart', 'stop'] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

export interface ControlCliOptions {
  command: ControlCommand;
  /** Which session: the folder (--root, else the current one) and, when several run there, the service or engine pid. */
  query: SessionQuery;
  /** Where paths in errors are written relative to. */
  cwd: string;
  json: boolean;
  timeoutMs: number;
  sinceVersion?: number;
  lines?: number;
  follow: boolean;
  /** restart: wait for the restarted version (default), or return once it is queued. */
  wait: boolean;
}

/** How long `wait` (and `restart`) wait by default. */
const DEFAULT_WAIT_MS = 60_000;

/** The exit codes of the subcommands, documented in --help. */
export const EXIT = { ok: 0, buildFailed: 1, usage: 2, crashed: 3, timeout: 4, noSession: 5 } as const;

export const CONTROL_USAGE = `Commands for a session that runs (started by hotreload or by VS Code), from any
terminal in its project folder or below it:

  hotreload wait [--timeout 60s]      wait until what is on disk serves; prints the
                                      version and address, or the build errors
                                      (file:line:col: message) or the crash
  hotreload status [--json]           state, version, pid, address, strategy, last
                                      reload and its timings, current errors
  hotreload logs [--since vN] [-n N] [-f]
                                      the program's output per version and the
                                      reload log; -f follows
  hotreload restart [--no-wait]       restart (without a build when no source
                                      changed), then wait as wait does
  hotreload stop                      stop the session and its program
  hotreload mcp                       an MCP server (stdio) with these as tools

  --root <dir>    the project folder (default: the current one, or the session's
                  folder that holds it)
  --service <n>   --pid <pid>   which session, when several run for the folder
  --json          answers as JSON

Exit codes: 0 done (wait: what is on disk serves), 1 the build failed,
2 bad usage, 3 the new version crashed on start (or nothing serves),
4 timed out, 5 no session runs for the folder (or it stopped).
`;

/** Parses a subcommand's arguments; throws with a sentence on bad input. */
export function parseControlArgs(command: ControlCommand, argv: string[], cwd: string): ControlCliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      root: { type: 'string' },
      service: { type: 'string' },
      pid: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      since: { type: 'string' },
      lines: { type: 'string', short: 'n' },
      follow: { type: 'boolean', short: 'f' },
      'no-wait': { type: 'boolean' },
    },
  });
  void positionals;
  const only = (flag: string, commands: ControlCommand[]) => {
    if ((values as Record<string, unknown>)[flag] !== undefined && !commands.includes(command)) throw new Error(`--${flag} is not an option of ${command}`);
  };
  only('timeout', ['wait', 'restart']);
  only('since', ['logs']);
  only('lines', ['logs']);
  only('follow', ['logs']);
  only('no-wait', ['restart']);
  const pid = values.pid !== undefined ? wholeNumber('--pid', values.pid) : undefined;
  return {
    command,
    query: {
      cwd: path.resolve(cwd, values.root ?? '.'),
      ...(values.service !== undefined ? { service: values.service } : {}),
      ...(pid !== undefined ? { pid } : {}),
    },
    cwd,
    json: values.json ?? false,
    timeoutMs: values.timeout !== undefined ? parseMs('--timeout', values.timeout) : DEFAULT_WAIT_MS,
    ...(values.since !== undefined ? { sinceVersion: wholeNumber('--since', values.since.replace(/^v/i, '')) } : {}),
    ...(values.lines !== undefined ? { lines: wholeNumber('--lines', values.lines) } : {}),
    follow: values.follow ?? false,
    wait: !values['no-wait'],
  };
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`${flag} takes a whole number, got "${text}"`);
  return Number(text);
}
