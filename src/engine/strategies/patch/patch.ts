import type { Artifact } from '../../kernel/artifact';
import type { ChangedFile } from '../../kernel/events';
import type { Patcher, PatchUnit } from '../../languages';
import type { Program } from '../../processes/program';
import { residentBytes } from '../../processes/processTree';
import type { ListenAddress } from '../../settings/listenAddress';
import type { Settings } from '../../settings/types';
import type { HandoffStrategy } from '../handoff/handoff';
import type { DeployResult, InPlaceOutcome, InPlacePlan, InPlaceUpdates, Preparation, RunStrategy } from '../strategy';
import { PatchLoader } from './patchLoader';

interface PatchPlan extends InPlacePlan {
  units: PatchUnit[];
}

/**
 * Live patching: the program keeps running and keeps its state while the reloadable units the
 * language builds (Go: plugin folders) are rebuilt and loaded through the handoff protocol's control
 * channel. Anything else and any load failure falls back to a zero-downtime handoff, which is also
 * how a full start happens (with every unit built beside the program). Old plugin code cannot be
 * unloaded from a Go process, so after `patchLimit` patches or `patchMemoryMB` of resident memory
 * the next change gets a clean handoff instead.
 */
export class PatchStrategy implements RunStrategy, InPlaceUpdates {
  readonly name = 'patch' as const;
  /** Under a debugger every change is a full build and handoff (see startNotes). */
  readonly inPlace: InPlaceUpdates | undefined;
  private readonly loader = new PatchLoader();
  private patchesSinceStart = 0;
  /** The file each slot has loaded in the running process. */
  private loaded = new Map<string, string>();
  /** The units each version runs with, so a rollback or restart brings the right ones back. */
  private readonly unitsOf = new Map<number, Map<string, string>>();

  constructor(
    private readonly settings: Settings,
    private readonly handoff: HandoffStrategy,
    private readonly patcher: Patcher,
  ) {
    this.inPlace = settings.debug ? undefined : this;
  }

  get address(): ListenAddress | undefined {
    return this.handoff.address;
  }

  startNotes(): { level: 'info' | 'warn'; message: string }[] {
    if (this.patcher.unsupported) return [{ level: 'warn', message: this.patcher.unsupported }];
    if (this.settings.debug)
      return [
        {
          level: 'info',
          message:
            'patch: under the debugger nothing is patched in place: each change is a full build (plugins included, with the debugger’s flags) and a handoff to a new version under the debugger, which keeps the breakpoints; patching in place would run code the debugger did not load',
        },
      ];
    return [{ level: 'info', message: this.patcher.describe() }];
  }

  async prepare(signal: AbortSignal): Promise<Preparation> {
    if (this.patcher.unsupported) return { kind: 'ok', bind: () => undefined };
    const result = await this.patcher.build(this.patcher.units, signal);
    if (result.kind !== 'ok') return result;
    return { kind: 'ok', bind: (version) => this.unitsOf.set(version, result.files) };
  }

  async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    const units = this.unitsOf.get(artifact.version) ?? new Map<string, string>();
    const result = await this.handoff.deploy(artifact, current, units.size > 0 ? { HOTRELOAD_PLUGINS: JSON.stringify(Object.fromEntries(units)) } : {});
    if (result.ok) {
      this.patchesSinceStart = 0;
      this.loaded = new Map(units);
      this.patcher.prune(new Set(this.loaded.values()));
    }
    return result;
  }

  plan(changes: ChangedFile[]): PatchPlan | { fallback: string } {
    const plan = this.patcher.plan(changes);
    if ('reason' in plan) return { fallback: plan.reason };
    return { units: plan.units, what: plan.units.map((u) => u.slot).join(', ') };
  }

  async apply(plan: InPlacePlan, program: Program, version: number, signal: AbortSignal): Promise<InPlaceOutcome> {
    const channels = this.handoff.channels(program);
    if (!channels) return { kind: 'fallback', reason: 'the running version has no control channel' };
    const started = Date.now();
    const built = await this.patcher.build((plan as PatchPlan).units, signal);
    const buildMs = Date.now() - started;
    if (built.kind === 'cancelled') return built;
    if (built.kind === 'failed') return { kind: 'build-failed', diagnostics: built.diagnostics, message: built.message, buildMs };
    const loadStarted = Date.now();
    const loaded = await this.loader.load({ channels, program }, { files: built.files, id: version, unitName: (slot) => this.patcher.unitName(slot) });
    if (loaded !== undefined) return { kind: 'fallback', reason: loaded };
    for (const [slot, file] of built.files) this.loaded.set(slot, file);
    this.unitsOf.set(version, new Map(this.loaded));
    this.patchesSinceStart++;
    const slots = [...built.files.keys()].join(', ');
    return {
      kind: 'updated',
      buildMs,
      loadMs: Date.now() - loadStarted,
      message: `${slots} patched in pid ${program.pid} (${this.patchesSinceStart} since its start)`,
    };
  }

  cleanRestartReason(program: Program): string | undefined {
    if (this.patchesSinceStart >= this.settings.patchLimit) return `${this.patchesSinceStart} patches loaded (patchLimit ${this.settings.patchLimit})`;
    const limitMb = this.settings.patchMemoryMB;
    const rss = residentBytes(program.pid);
    if (rss !== undefined && rss > limitMb * 1024 * 1024) return `process memory ${(rss / 1024 / 1024).toFixed(0)} MB (patchMemoryMB ${limitMb})`;
    return undefined;
  }

  async dispose(): Promise<void> {
    await this.handoff.dispose();
  }
}
