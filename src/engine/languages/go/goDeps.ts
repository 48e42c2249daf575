import * as path from 'node:path';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';
import { goListFlags } from './goList';

/**
 * The folders of the packages a main package is built from (`go list -deps`, the standard library
 * left out), listed after each good build: a `.go` file elsewhere cannot change the program. A
 * service of a system uses it to rebuild only when a change is its own; until the first listing,
 * and for any other file, every change counts.
 */
export class GoDeps {
  private dirs: Set<string> | undefined;
  private listing: AbortController | undefined;

  constructor(private readonly options: () => { pkg: string; cwd: string; env: NodeJS.ProcessEnv; buildFlags: readonly string[]; host?: ProcessHost }) {}

  /** Whether a change to this file can change the program. */
  reads(file: string): boolean {
    if (!this.dirs || path.extname(file) !== '.go') return true;
    return this.dirs.has(path.dirname(file));
  }

  /** A good build: the package list may have changed (an import added or removed). */
  async relist(): Promise<void> {
    this.listing?.abort();
    const controller = (this.listing = new AbortController());
    const { pkg, cwd, env, buildFlags, host } = this.options();
    const format = '{{if not .Standard}}{{.Dir}}{{end}}';
    const result = await runCommand('go', ['list', '-e', '-deps', '-f', format, ...goListFlags(buildFlags), pkg], { cwd, env, signal: controller.signal, host });
    if (result.cancelled || result.code !== 0) return;
    this.dirs = new Set(
      result.output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && path.isAbsolute(line)),
    );
  }

  dispose(): void {
    this.listing?.abort();
  }
}
