/**
 * The CLI (dist/cli.js) as a user runs it, for the tests that check it says what the editor says:
 * its own lines (stderr) collected as they come, waited for by pattern.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../support/examples';
import { eventually } from '../support/waiting';

export interface CliRun {
  readonly child: ChildProcess;
  /** Everything it wrote to stderr so far (its own lines, and the program's stderr). */
  stderr(): string;
  /** Waits until a line of stderr matches; returns that line. `after`: only lines from that offset on. */
  line(match: RegExp, timeoutMs?: number, after?: number): Promise<string>;
  /** SIGTERM, then waits for the exit; SIGKILL if it takes longer than 15 s. */
  stop(): Promise<void>;
}

export function runCli(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stderr: () => err,
    line: (match, timeoutMs = 60_000, after = 0) =>
      eventually(
        () => `a CLI line matching ${String(match)}; it printed:\n${err}`,
        () =>
          err
            .slice(after)
            .split('\n')
            .find((l) => match.test(l)),
        { timeoutMs, intervalMs: 50 },
      ),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
