import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';
import { goListFlags } from './goList';

/** A build still running after this long is worth counting the packages of (a warm build is done by then). */
const COUNT_AFTER_MS = 1000;

export interface PackageCountOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  buildFlags: readonly string[];
  host?: ProcessHost;
}

/**
 * Counts the packages a build needs with `go list -e -deps`, once the build has run for
 * COUNT_AFTER_MS: a fast build never pays for it. `stop` ends it with the build; it resolves
 * when the count's process is gone.
 */
export function countPackagesLater(pkg: string, options: PackageCountOptions, onCount: (total: number) => void): { stop(): Promise<void> } {
  const controller = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  const timer = setTimeout(() => {
    running = countPackages(pkg, options, controller.signal).then((total) => {
      if (total) onCount(total);
    });
  }, COUNT_AFTER_MS);
  return {
    stop: async () => {
      clearTimeout(timer);
      controller.abort();
      await running;
    },
  };
}

/** The packages a build of `pkg` compiles (`go list -e -deps`), unsafe left out; undefined when go list fails or is cancelled. */
export async function countPackages(pkg: string, options: PackageCountOptions, signal: AbortSignal): Promise<number | undefined> {
  const result = await runCommand('go', ['list', '-e', '-deps', '-f', '{{.ImportPath}}', ...goListFlags(options.buildFlags), pkg], {
    cwd: options.cwd,
    env: options.env,
    signal,
    host: options.host,
  });
  if (result.cancelled || result.code !== 0) return undefined;
  // unsafe is never compiled; go's notes (downloads) are not packages.
  return result.output.split('\n').filter((line) => line.trim() !== '' && line.trim() !== 'unsafe' && !line.startsWith('go: ')).length;
}
