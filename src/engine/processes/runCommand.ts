import { killGroup, spawnInGroup } from './processGroup';
import type { ProcessHost } from './processHost';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  cancelled: boolean;
  /** Set when the command could not be started at all (e.g. not found). */
  spawnError?: NodeJS.ErrnoException;
}

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Keep at most this much output (the start and the end are kept). */
  maxOutput?: number;
  /** Run it under the session's supervisor (builds, hooks); without, in a process group of its own. */
  host?: ProcessHost;
  /** Sees the output as it arrives (a build's progress lines), stdout and stderr alike. */
  onOutput?: (text: string) => void;
}

/**
 * Runs a build step in its own process group and collects its output.
 * Aborting kills the whole group (go build's compile and link children too),
 * and the promise settles only when the group is gone.
 */
export function runCommand(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  if (options.host) return runSupervised(command, args, { ...options, host: options.host });
  const maxOutput = options.maxOutput ?? 1024 * 1024;
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ code: null, signal: null, output: '', cancelled: true });
      return;
    }
    const child = spawnInGroup(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let dropped = 0;
    let cancelled = false;
    const collect = (chunk: Buffer) => {
      options.onOutput?.(chunk.toString('utf8'));
      if (output.length < maxOutput) output += chunk.toString('utf8');
      else dropped += chunk.length;
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const onAbort = () => {
      cancelled = true;
      if (child.pid !== undefined) void killGroup(child.pid);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code: null, signal: null, output, cancelled, spawnError: err });
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      const finish = () => {
        if (dropped > 0) output += `\n… ${dropped} more bytes of output not shown\n`;
        resolve({ code, signal, output, cancelled });
      };
      // The group may outlive its leader (a stray child of a build script); do not leave it.
      if (child.pid !== undefined) void killGroup(child.pid).then(finish);
      else finish();
    });
  });
}

/** Runs a shell command line (user-written hooks and custom build commands). */
export function runShell(commandLine: string, options: CommandOptions): Promise<CommandResult> {
  const shell = process.platform === 'win32' ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh';
  const args = process.platform === 'win32' ? ['/d', '/s', '/c', commandLine] : ['-c', commandLine];
  return runCommand(shell, args, options);
}

/** The same, run by the supervisor: cancelling stops the command's whole tree there. */
async function runSupervised(command: string, args: string[], options: CommandOptions & { host: ProcessHost }): Promise<CommandResult> {
  if (options.signal?.aborted) return { code: null, signal: null, output: '', cancelled: true };
  const maxOutput = options.maxOutput ?? 1024 * 1024;
  let supervisor;
  try {
    supervisor = await options.host.supervisor();
  } catch (err) {
    return { code: null, signal: null, output: '', cancelled: false, spawnError: err as NodeJS.ErrnoException };
  }
  const child = supervisor.spawn({ path: command, args, env: options.env, cwd: options.cwd, stopSignal: 'SIGKILL', graceMs: 0 });
  let output = '';
  let dropped = 0;
  child.onOutput((_stream, data) => {
    options.onOutput?.(data.toString('utf8'));
    if (output.length < maxOutput) output += data.toString('utf8');
    else dropped += data.length;
  });
  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    void child.stop('SIGKILL', 0);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await child.started;
  } catch (err) {
    options.signal?.removeEventListener('abort', onAbort);
    const message = (err as Error).message;
    const spawnError: NodeJS.ErrnoException = Object.assign(new Error(message), {
      code: /file not found$/.test(message) ? 'ENOENT' : /permission denied/.test(message) ? 'EACCES' : undefined,
    });
    return { code: null, signal: null, output, cancelled, spawnError };
  }
  const exit = await child.exited;
  options.signal?.removeEventListener('abort', onAbort);
  if (dropped > 0) output += `\n… ${dropped} more bytes of output not shown\n`;
  return { code: exit.code, signal: exit.signal, output, cancelled };
}
