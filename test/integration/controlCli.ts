/**
 * `hotreload wait|status|logs|restart|stop` as a script runs them (dist/cli.js in a process of its
 * own): their exit code and what they printed. Tests give each session and its clients a run
 * directory of their own (XDG_RUNTIME_DIR), so sessions of other tests are never found.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../support/examples';
import { tempDir } from '../support/files';

export interface ControlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A run directory for one test's sessions and clients. */
export function runDirEnv(): { XDG_RUNTIME_DIR: string } {
  return { XDG_RUNTIME_DIR: tempDir('hr-run-') };
}

/** Runs `hotreload <args>` in `cwd` until it exits. */
export function hotreload(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ControlRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
