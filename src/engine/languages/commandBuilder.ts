import * as fs from 'node:fs';
import type { Diagnostic } from '../kernel/diagnostic';
import { firstLines } from '../kernel/text';
import type { ProcessHost } from '../processes/processHost';
import { runShell } from '../processes/runCommand';
import type { Settings } from '../settings/types';
import type { Builder, BuildOptions, BuildOutcome } from './builder';

/**
 * A user-written build command (air's `build.cmd`) that writes `settings.binary`; the engine
 * copies that file into the versioned artifact so the running program is never overwritten by the
 * next build. Its errors are read with the language's parser: such a command usually runs the
 * language's own compiler.
 */
export class CommandBuilder implements Builder {
  readonly overlays = false;

  constructor(
    private readonly settings: Settings & { buildCommand: string; binary: string },
    private readonly parseErrors: (output: string) => Diagnostic[],
    private readonly host?: ProcessHost,
  ) {}

  describe(): string {
    return `build command: ${this.settings.buildCommand}`;
  }

  async build(outFile: string, signal: AbortSignal, { env = {} }: BuildOptions = {}): Promise<BuildOutcome> {
    const { settings } = this;
    const result = await runShell(settings.buildCommand, {
      cwd: settings.root,
      env: { ...process.env, ...settings.buildEnv, ...env },
      signal,
      host: this.host,
    });
    if (result.cancelled) return { kind: 'cancelled' };
    if (result.spawnError || result.code !== 0) {
      const diagnostics = this.parseErrors(result.output);
      const why = result.spawnError?.message ?? (firstLines(result.output) || `exit status ${result.code ?? result.signal}`);
      return {
        kind: 'failed',
        diagnostics,
        output: result.output,
        message: diagnostics.length > 0 ? `build failed: ${diagnostics.length} error(s)` : `build command failed: ${why}`,
      };
    }
    try {
      fs.copyFileSync(settings.binary, outFile);
      fs.chmodSync(outFile, 0o755);
    } catch (err) {
      return {
        kind: 'failed',
        diagnostics: [],
        output: result.output,
        message: `the build command succeeded but did not produce ${settings.binary} (the "binary" setting, air's build.bin): ${(err as Error).message}`,
      };
    }
    return { kind: 'ok', file: outFile, output: result.output };
  }
}
