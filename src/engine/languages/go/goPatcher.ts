import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { ChangedFile } from '../../kernel/events';
import type { ProcessHost } from '../../processes/processHost';
import type { Settings } from '../../settings/types';
import type { PatchBuild, Patcher, PatchUnit } from '../language';
import { HOTRELOAD_PATCH_PACKAGE } from './detectLibrary';
import { PluginBuilder } from './pluginBuilder';
import { findPluginFolders } from './plugins';

/**
 * Go's in-place patches: plugin folders (a `package main` exporting `func HotReloadV1() any`)
 * rebuilt as Go plugins with a unique plugin path each time. A change outside every plugin folder,
 * or the deletion of a plugin's nested file, cannot be patched.
 */
export class GoPatcher implements Patcher {
  readonly units: readonly PatchUnit[];
  readonly unsupported: string | undefined;
  private readonly builder: PluginBuilder;

  constructor(
    private readonly settings: Settings,
    host?: ProcessHost,
  ) {
    this.builder = new PluginBuilder(settings, host);
    this.units = findPluginFolders(settings, settings.plugins);
    this.unsupported = pluginSupportProblem(settings);
  }

  describe(): string {
    const folders = this.units.map((p) => path.relative(this.settings.root, p.dir) || '.').join(', ');
    return `patch: plugin folders ${folders || 'none found (a package main exporting func HotReloadV1() any)'}, loaded into the slots the program declares with ${HOTRELOAD_PATCH_PACKAGE}`;
  }

  unitName(slot: string): string {
    return `plugin ${slot}`;
  }

  plan(changes: ChangedFile[]): { units: PatchUnit[] } | { reason: string } {
    if (this.unsupported) return { reason: this.unsupported };
    if (this.units.length === 0) return { reason: 'no plugin folder (a package main exporting func HotReloadV1() any) in the module' };
    const touched = new Set<PatchUnit>();
    for (const change of changes) {
      const unit = this.units.find((p) => change.path.startsWith(p.dir + path.sep));
      if (!unit) return { reason: `${path.relative(this.settings.root, change.path) || change.path} is outside the plugin folders` };
      if (change.kind === 'delete' && change.path.endsWith('.go') && path.dirname(change.path) !== unit.dir) {
        return { reason: `${path.relative(this.settings.root, change.path)} was deleted` };
      }
      touched.add(unit);
    }
    return { units: [...touched] };
  }

  async build(units: readonly PatchUnit[], signal: AbortSignal): Promise<PatchBuild> {
    const files = new Map<string, string>();
    for (const unit of units) {
      const result = await this.builder.build(unit, signal);
      if (result.kind === 'cancelled') return { kind: 'cancelled' };
      if (result.kind === 'failed') return { kind: 'failed', diagnostics: result.diagnostics, message: result.message };
      files.set(unit.slot, result.file);
    }
    return { kind: 'ok', files };
  }

  prune(keep: ReadonlySet<string>): void {
    this.builder.prune(new Set(keep));
  }
}

/** Go plugins need linux, darwin or freebsd and cgo; say so plainly when they cannot work. */
function pluginSupportProblem(settings: Settings): string | undefined {
  if (!['linux', 'darwin', 'freebsd'].includes(process.platform)) {
    return `Go plugins are not supported on ${process.platform}: every change gets a handoff instead of a live patch`;
  }
  let cgo: string | undefined = settings.buildEnv.CGO_ENABLED ?? process.env.CGO_ENABLED;
  if (cgo === undefined) {
    try {
      cgo = execFileSync('go', ['env', 'CGO_ENABLED'], { cwd: settings.moduleRoot, encoding: 'utf8', timeout: 10000 }).trim();
    } catch {
      cgo = undefined;
    }
  }
  if (cgo === '0') return 'Go plugins need cgo, and CGO_ENABLED is 0 (is a C compiler installed?): every change gets a handoff instead of a live patch';
  return undefined;
}
