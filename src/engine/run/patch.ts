import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Settings } from '../config/settings';
import type { Diagnostic } from '../diagnostic';
import type { ChangedFile } from '../events';
import type { Artifact } from '../build/artifacts';
import { PluginBuilder, findPluginFolders, type PluginFolder } from '../build/pluginBuilder';
import type { HandoffStrategy } from './handoff';
import type { NotifyEvent, ProgramChannels } from './notifyChannel';
import type { ProgramProcess } from './program';
import { residentBytes } from './processTree';
import type { DeployResult, RunStrategy } from './strategy';

export type PatchOutcome =
  | { kind: 'patched'; env: Record<string, string>; buildMs: number; loadMs: number; slots: string[] }
  | { kind: 'build-failed'; diagnostics: Diagnostic[]; message: string; buildMs: number }
  | { kind: 'cancelled' }
  /** Patching is not possible for this change or this process: a full build and handoff follow. */
  | { kind: 'fallback'; reason: string; buildMs: number };

/** How long a process may take to load a plugin before the patch counts as failed. */
const LOAD_TIMEOUT_MS = 10000;

/**
 * Live patching: the program keeps running and keeps its state while the
 * logic in its plugin folders is rebuilt and swapped in through go/hotreload's
 * slots. Anything else (a shared package, go.mod, the host) and any load
 * failure falls back to a zero-downtime handoff, which is also how a full
 * start happens. Old plugin code cannot be unloaded from a Go process, so after
 * `patchLimit` patches or `patchMemoryMB` of resident memory the next change
 * gets a clean handoff instead.
 */
export class PatchStrategy implements RunStrategy {
  readonly name = 'patch' as const;
  readonly plugins: PluginFolder[];
  /** Why patching is off altogether on this machine (no plugin support), if it is. */
  readonly unsupported: string | undefined;
  private readonly builder: PluginBuilder;
  private patchesSinceStart = 0;
  /** The plugin file each slot has loaded in the running process. */
  private loaded = new Map<string, string>();
  private readonly listening = new WeakSet<ProgramChannels>();
  private readonly waiting = new Map<string, (event: NotifyEvent) => void>();

  constructor(
    private readonly settings: Settings,
    private readonly handoff: HandoffStrategy,
  ) {
    this.builder = new PluginBuilder(settings);
    this.plugins = findPluginFolders(settings, settings.plugins);
    this.unsupported = pluginSupportProblem(settings);
  }

  get patchLimit(): number {
    return this.settings.patchLimit ?? 50;
  }

  get patchCount(): number {
    return this.patchesSinceStart;
  }

  /** Builds every plugin for a full start; the result is the environment that makes the host load them. */
  async buildAll(signal: AbortSignal): Promise<Exclude<PatchOutcome, { kind: 'fallback' }>> {
    const started = Date.now();
    const built = new Map<string, string>();
    if (this.unsupported) return { kind: 'patched', env: {}, buildMs: 0, loadMs: 0, slots: [] };
    for (const plugin of this.plugins) {
      const result = await this.builder.build(plugin, signal);
      if (result.kind === 'cancelled') return { kind: 'cancelled' };
      if (result.kind === 'failed') return { kind: 'build-failed', diagnostics: result.diagnostics, message: result.message, buildMs: Date.now() - started };
      built.set(plugin.slot, result.file);
    }
    return { kind: 'patched', env: pluginEnv(built), buildMs: Date.now() - started, loadMs: 0, slots: [...built.keys()] };
  }

  async deploy(artifact: Artifact, current: ProgramProcess | undefined): Promise<DeployResult> {
    const result = await this.handoff.deploy(artifact, current);
    if (result.ok) {
      this.patchesSinceStart = 0;
      this.loaded = new Map(Object.entries(parsePluginEnv(artifact.env)));
      this.builder.prune(new Set(this.loaded.values()));
    }
    return result;
  }

  /** The plugin folders a change touches, or why it cannot be patched. */
  eligible(changes: ChangedFile[]): { slots: PluginFolder[] } | { reason: string } {
    if (this.unsupported) return { reason: this.unsupported };
    if (this.plugins.length === 0) return { reason: 'no plugin folder (a package main exporting func HotReloadV1() any) in the module' };
    const slots = new Set<PluginFolder>();
    for (const change of changes) {
      const plugin = this.plugins.find((p) => change.path.startsWith(p.dir + path.sep));
      if (!plugin) return { reason: `${path.relative(this.settings.root, change.path) || change.path} is outside the plugin folders` };
      if (change.kind === 'delete' && change.path.endsWith('.go') && path.dirname(change.path) !== plugin.dir) {
        return { reason: `${path.relative(this.settings.root, change.path)} was deleted` };
      }
      slots.add(plugin);
    }
    return { slots: [...slots] };
  }

  /** Why the process should get a clean handoff instead of more patches, if it should. */
  cleanRestartReason(program: ProgramProcess): string | undefined {
    if (this.patchesSinceStart >= this.patchLimit) return `${this.patchesSinceStart} patches loaded (patchLimit ${this.patchLimit})`;
    const limitMb = this.settings.patchMemoryMB ?? 1024;
    const rss = residentBytes(program.pid);
    if (rss !== undefined && rss > limitMb * 1024 * 1024) return `process memory ${(rss / 1024 / 1024).toFixed(0)} MB (patchMemoryMB ${limitMb})`;
    return undefined;
  }

  /** Rebuilds the touched plugins and has the running process load them. */
  async patch(program: ProgramProcess, slots: PluginFolder[], id: number, signal: AbortSignal): Promise<PatchOutcome> {
    const channels = this.handoff.channels(program);
    if (!channels) return { kind: 'fallback', reason: 'the running version has no control channel', buildMs: 0 };
    const started = Date.now();
    const files = new Map<string, string>();
    for (const plugin of slots) {
      const result = await this.builder.build(plugin, signal);
      if (result.kind === 'cancelled') return { kind: 'cancelled' };
      if (result.kind === 'failed') return { kind: 'build-failed', diagnostics: result.diagnostics, message: result.message, buildMs: Date.now() - started };
      files.set(plugin.slot, result.file);
    }
    const buildMs = Date.now() - started;
    this.listen(channels);
    const loadStarted = Date.now();
    for (const [slot, file] of files) {
      const answer = this.answer(slot, id);
      if (!channels.send({ op: 'patch', slot, id, path: file })) return { kind: 'fallback', reason: 'the running version closed its control channel', buildMs };
      const event = await Promise.race([answer, program.exited.then(() => undefined), timeout(LOAD_TIMEOUT_MS)]);
      this.waiting.delete(`${slot}:${id}`);
      if (!event) return { kind: 'fallback', reason: program.running ? `the process did not answer the patch of ${slot} within ${LOAD_TIMEOUT_MS / 1000}s` : 'the process exited while loading the patch', buildMs };
      if (event.event === 'patchFailed') {
        const error = typeof event.error === 'string' ? event.error : 'unknown error';
        return { kind: 'fallback', reason: `plugin ${slot} failed to load: ${error}`, buildMs };
      }
      this.loaded.set(slot, file);
    }
    this.patchesSinceStart++;
    return { kind: 'patched', env: pluginEnv(this.loaded), buildMs, loadMs: Date.now() - loadStarted, slots: [...files.keys()] };
  }

  async dispose(): Promise<void> {
    await this.handoff.dispose();
  }

  private listen(channels: ProgramChannels): void {
    if (this.listening.has(channels)) return;
    this.listening.add(channels);
    channels.onEvent((event) => {
      if (event.event !== 'patched' && event.event !== 'patchFailed') return;
      this.waiting.get(`${String(event.slot)}:${String(event.id)}`)?.(event);
    });
  }

  private answer(slot: string, id: number): Promise<NotifyEvent> {
    return new Promise((resolve) => this.waiting.set(`${slot}:${id}`, resolve));
  }
}

function pluginEnv(files: Map<string, string>): Record<string, string> {
  return files.size > 0 ? { HOTRELOAD_PLUGINS: JSON.stringify(Object.fromEntries(files)) } : {};
}

function parsePluginEnv(env: Record<string, string> | undefined): Record<string, string> {
  try {
    return env?.HOTRELOAD_PLUGINS ? (JSON.parse(env.HOTRELOAD_PLUGINS) as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function timeout(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
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
