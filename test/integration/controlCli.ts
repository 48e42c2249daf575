/**
 * `hotreload wait|status|logs|restart|stop` as a script runs them (dist/cli.js in a process of its
 * own): their exit code and what they printed. Tests give each session and its clients a run
 * directory of their own (XDG_RUNTIME_DIR), so sessions of other tests are never found.
 */
import * as path from 'node:path';
import { repoRoot } from '../support/examples';
import { tempDir } from '../support/files';
import { runToEnd, type FinishedRun } from '../support/processes';

export type ControlRun = FinishedRun;

/** A run directory for one test's sessions and clients. */
export function runDirEnv(): { XDG_RUNTIME_DIR: string } {
  return { XDG_RUNTIME_DIR: tempDir('hr-run-') };
}

/** Runs `hotreload <args>` in `cwd` until it exits. */
export function hotreload(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ControlRun> {
  return runToEnd(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { cwd, env });
}
