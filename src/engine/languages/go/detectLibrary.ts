import { oneLine } from '../../kernel/text';
import type { Detection } from '../language';
import type { Settings } from '../../settings/types';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';
import { goListFlags } from './goList';

/** The import path of the Go package that speaks the handoff protocol. */
export const HOTRELOAD_PACKAGE = 'hotreload.dev/go/hotreload';

/** The package that declares live-patchable slots; only programs that patch import it (it links Go's plugin support). */
export const HOTRELOAD_PATCH_PACKAGE = 'hotreload.dev/go/hotreload/patch';


/**
 * Whether `go list -deps`'s output (one import path per line) includes go/hotreload. Pure. A
 * dependency anywhere counts: the helper is often imported by an internal server package rather
 * than by package main itself.
 */
export function depsIncludeLibrary(listOutput: string): boolean {
  for (const line of listOutput.split('\n')) if (line.trim() === HOTRELOAD_PACKAGE) return true;
  return false;
}


/**
 * Runs `go list -deps -f '{{.ImportPath}}' <package>` in the module root (in its own process group,
 * killed after `timeoutMs` or when `signal` aborts) and says whether the program depends on
 * go/hotreload. Done once, at session start: adding or removing the import takes a new session.
 */
export async function detectLibrary(
  settings: Pick<Settings, 'moduleRoot' | 'package' | 'buildFlags' | 'buildEnv'>,
  options: { timeoutMs?: number; signal?: AbortSignal; goBin?: string; host?: ProcessHost; onOutput?: (text: string) => void } = {},
): Promise<Detection> {
  const timeoutMs = options.timeoutMs ?? 10000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const pkg = settings.package || '.';
    const result = await runCommand(options.goBin ?? 'go', ['list', '-deps', '-f', '{{.ImportPath}}', ...goListFlags(settings.buildFlags), pkg], {
      cwd: settings.moduleRoot,
      env: { ...process.env, ...settings.buildEnv },
      signal: controller.signal,
      maxOutput: 4 * 1024 * 1024,
      host: options.host,
      onOutput: options.onOutput,
    });
    if (result.cancelled) return { usesLibrary: undefined, problem: options.signal?.aborted ? 'cancelled' : `\`go list -deps ${pkg}\` did not finish within ${timeoutMs / 1000}s` };
    if (result.spawnError) return { usesLibrary: undefined, problem: `cannot run go (${result.spawnError.message})` };
    if (result.code !== 0) return { usesLibrary: undefined, problem: `\`go list -deps ${pkg}\` failed: ${oneLine(result.output)}` };
    return { usesLibrary: depsIncludeLibrary(result.output) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
