import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessHost } from '../../processes/processHost';
import type { Settings } from '../../settings/types';
import type { Diagnostic } from '../../kernel/diagnostic';
import { runCommand } from '../../processes/runCommand';
import { parseGoBuildOutput } from './buildErrors';
import { firstLines } from '../../kernel/text';
import type { PluginFolder } from './plugins';
import { goBuildArgs } from './buildFlags';

export type PluginBuild =
  | { kind: 'ok'; slot: string; file: string }
  | { kind: 'failed'; slot: string; diagnostics: Diagnostic[]; message: string }
  | { kind: 'cancelled'; slot: string };

/**
 * Builds a plugin folder as a Go plugin for one patch. Go refuses a second
 * plugin with the same plugin path, and `-pluginpath` has broken symbol lookup
 * in several releases (golang/go#34143), so each build compiles a fresh copy
 * of the folder's files, with a file that makes the copy unique, as a list of
 * files (whose plugin path is a hash of their content). Flags, environment and
 * toolchain are the host build's, so shared packages match.
 */
export class PluginBuilder {
  private sequence = 0;
  /** The host's fast flags: -ldflags changes no package hash, so the plugin still matches the host. */
  private readonly fastFlags: string[];

  constructor(
    private readonly settings: Settings,
    private readonly host?: ProcessHost,
  ) {
    this.fastFlags = goBuildArgs(settings).flags;
  }

  async build(plugin: PluginFolder, signal: AbortSignal): Promise<PluginBuild> {
    const id = ++this.sequence;
    const copy = path.join(this.settings.workDir, 'patches', `${id}-${plugin.slot}`);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.mkdirSync(copy, { recursive: true });
    const sources = fs
      .readdirSync(plugin.dir)
      .filter((name) => name.endsWith('.go') && !name.endsWith('_test.go'))
      .sort();
    if (sources.length === 0) {
      return { kind: 'failed', slot: plugin.slot, diagnostics: [], message: `plugin folder ${plugin.dir} has no Go files` };
    }
    for (const name of sources) fs.copyFileSync(path.join(plugin.dir, name), path.join(copy, name));
    const unique = `zz_hotreload_patch_${id}.go`;
    fs.writeFileSync(path.join(copy, unique), `package main\n\n// Makes this build's plugin path unique.\nconst hotReloadPatch = "${process.pid}-${id}-${Date.now()}"\n`);
    const out = path.join(copy, `${plugin.slot}.so`);
    const files = [...sources, unique].map((name) => path.join(copy, name));
    const result = await runCommand('go', ['build', '-buildmode=plugin', '-o', out, ...this.fastFlags, ...files], {
      cwd: this.settings.moduleRoot,
      env: { ...process.env, ...this.settings.buildEnv },
      signal,
      host: this.host,
    });
    if (result.cancelled) return { kind: 'cancelled', slot: plugin.slot };
    if (result.code === 0) return { kind: 'ok', slot: plugin.slot, file: out };
    fs.rmSync(copy, { recursive: true, force: true });
    // Errors point into the copy: send them to the file the user edits.
    const diagnostics = parseGoBuildOutput(result.output, { cwd: this.settings.moduleRoot, moduleRoot: this.settings.moduleRoot }).map((d) => ({
      ...d,
      file: toOriginal(d.file, copy, plugin.dir),
      related: d.related.map((r) => ({ ...r, file: toOriginal(r.file, copy, plugin.dir) })),
    }));
    const message = result.spawnError
      ? `cannot run go build: ${result.spawnError.message}`
      : diagnostics.length > 0
        ? `plugin ${plugin.slot} failed to build: ${diagnostics.length} error(s)`
        : `plugin ${plugin.slot} failed to build: ${firstLines(result.output)}`;
    return { kind: 'failed', slot: plugin.slot, diagnostics, message };
  }

  /** Deletes plugin builds no longer loaded anywhere (a loaded .so must stay on disk). */
  prune(keep: Set<string>): void {
    const dir = path.join(this.settings.workDir, 'patches');
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      return;
    }
    const keepDirs = new Set([...keep].map((f) => path.dirname(f)));
    for (const entry of entries) {
      const full = path.join(dir, entry);
      if (!keepDirs.has(full)) fs.rmSync(full, { recursive: true, force: true });
    }
  }
}

function toOriginal(file: string, copy: string, original: string): string {
  return file.startsWith(copy + path.sep) ? path.join(original, path.relative(copy, file)) : file;
}
