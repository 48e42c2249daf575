import * as fs from 'node:fs';
import type { Settings } from '../config/settings';
import type { Builder, BuildOutcome } from './builder';
import { runShell } from './runCommand';
import { parseGoBuildOutput } from './goBuildErrors';
import { firstLines } from './goBuilder';

/**
 * A user-written build command (air's `build.cmd`) that writes `settings.binary`;
 * the engine copies that file into the versioned artifact so the running
 * program is never overwritten by the next build.
 */
export class CommandBuilder implements Builder {
  constructor(private readonly settings: Settings & { buildCommand: string; binary: string }) {}

  describe(): string {
    return this.settings.buildCommand;
  }

  async build(outFile: string, signal: AbortSignal): Promise<BuildOutcome> {
    const { settings } = this;
    const result = await runShell(settings.buildCommand, {
      cwd: settings.root,
      env: { ...process.env, ...settings.buildEnv },
      signal,
    });
    if (result.cancelled) return { kind: 'cancelled' };
    if (result.spawnError || result.code !== 0) {
      // A custom command is usually `go build …`: its errors parse the same way.
      const diagnostics = parseGoBuildOutput(result.output, { cwd: settings.root, moduleRoot: settings.moduleRoot });
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
