import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings, Strategy } from './config/settings';
import type { Diagnostic } from './diagnostic';
import type { ChangedFile, EngineEvent, ReloadOutcome, ReloadReport, ReloadTrigger, SessionState } from './events';
import { Emitter } from './emitter';
import { ArtifactStore, type Artifact } from './build/artifacts';
import type { Builder, BuildOutcome } from './build/builder';
import { GoBuilder } from './build/goBuilder';
import { CommandBuilder } from './build/commandBuilder';
import { runShell } from './build/runCommand';
import { PidRegistry } from './run/pidRegistry';
import { ProgramProcess, type ProgramExit } from './run/program';
import type { LaunchExtras, RunStrategy } from './run/strategy';
import { RestartStrategy } from './run/restart';
import { createStrategy as createZeroDowntimeStrategy } from './run/auto';
import { parseGoPanic } from './run/goPanic';
import { PatchStrategy } from './run/patch';
import type { PluginFolder } from './build/pluginBuilder';
import { ChangeDebouncer } from './watch/debounce';
import { ContentHashes } from './watch/contentHashes';
import { startFastPath } from './watch/fastPath';
import type { Disposable } from './disposable';
import { startWatcher, type WatchFilter, type Watcher } from './watch/watcher';
import { createPathFilter } from './watch/filter';
import { loadEnvFiles } from './config/envFile';
import { SourceSnapshot, type SourceChange } from './snapshot';

export interface SessionOptions {
  /** Programs keep colour although their output is piped (the front end renders ANSI). */
  color?: boolean;
  /** Watch the tree (default). Off for one-shot runs driven only by explicit reloads. */
  watch?: boolean;
  /** Replaces the strategy chosen from settings (tests, later strategies). */
  strategyFactory?: (session: Session) => RunStrategy;
}

interface PendingReload {
  changes: Map<string, ChangedFile>;
  trigger: ReloadTrigger;
  firstEventAt: number;
  /** Build even when no file changed (start, manual restart). */
  force: boolean;
}

/** Backoff before starting again a version that keeps crashing on start. */
const CRASH_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000];

/**
 * One target's hot-reload loop: idle → building → starting → running, with
 * failed and crashed beside them. At most one build runs; a newer change
 * cancels it. A failed build leaves the running version alone; a version that
 * dies on start is replaced by the last good one.
 */
export class Session {
  readonly events = new Emitter<EngineEvent>();
  readonly strategy: RunStrategy;
  private readonly store: ArtifactStore;
  private readonly registry: PidRegistry;
  private readonly builder: Builder;
  private readonly hashes = new ContentHashes();
  private readonly snapshot: SourceSnapshot;
  private readonly debouncer: ChangeDebouncer;
  private readonly filter: WatchFilter & { reloadGitignore?: () => void };
  private watcher: Watcher | undefined;
  private fastPath: Disposable | undefined;
  private state: SessionState = 'idle';
  private program: ProgramProcess | undefined;
  private running: Artifact | undefined;
  private lastGood: Artifact | undefined;
  private diagnostics: Diagnostic[] = [];
  private pending: PendingReload | undefined;
  private building: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private crashCount = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private goodTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private lastReport: ReloadReport | undefined;

  constructor(
    readonly settings: Settings,
    private readonly options: SessionOptions = {},
  ) {
    const name = path.basename(settings.package === '.' || !settings.package ? settings.moduleRoot : settings.package) || 'app';
    this.store = new ArtifactStore(settings.workDir, safeName(name));
    this.registry = new PidRegistry(settings.workDir);
    this.snapshot = new SourceSnapshot(settings.workDir);
    this.builder =
      settings.buildCommand && settings.binary
        ? new CommandBuilder({ ...settings, buildCommand: settings.buildCommand, binary: settings.binary })
        : new GoBuilder(settings);
    this.filter = createPathFilter(settings);
    this.debouncer = new ChangeDebouncer(settings.debounceMs, (changes, first) => void this.onChanges(changes, first, 'change'));
    this.strategy = options.strategyFactory?.(this) ?? this.createStrategy(settings.strategy);
  }

  get currentState(): SessionState {
    return this.state;
  }

  get currentProgram(): ProgramProcess | undefined {
    return this.program;
  }

  get currentVersion(): number | undefined {
    return this.running?.version;
  }

  /** Stops programs left by a killed engine, starts watching and runs the first build. */
  async start(): Promise<void> {
    fs.mkdirSync(this.settings.workDir, { recursive: true });
    const orphans = await this.registry.reapOrphans();
    for (const orphan of orphans) this.log('warn', `stopped process ${orphan.pid} (${orphan.command}) left running by an earlier engine`);
    this.store.init(this.settings.workDir);
    this.snapshot.init();
    if (this.strategy instanceof PatchStrategy) {
      const patch = this.strategy;
      if (patch.unsupported) this.log('warn', patch.unsupported);
      else this.log('info', `patch: plugin folders ${patch.plugins.map((p) => path.relative(this.settings.root, p.dir) || '.').join(', ') || 'none found (a package main exporting func HotReloadV1() any)'}`);
    }
    this.enqueue({ changes: new Map(), trigger: 'start', firstEventAt: Date.now(), force: true });
    if (this.options.watch !== false) {
      const watchStarted = Date.now();
      this.watcher = await startWatcher(this.settings.root, this.filter, (changes) => this.onWatcherChanges(changes), {
        kind: this.settings.watcher,
        pollIntervalMs: this.settings.pollIntervalMs,
        onError: (err) => this.log('error', `file watcher failed: ${err.message}`),
      });
      this.log('info', `watching ${this.settings.root} (${this.watcher.kind} watcher, ready in ${Date.now() - watchStarted} ms)`);
      const dirs = new Set<string>();
      void this.hashes
        .baseline(this.settings.root, this.filter, (file, content, hash) => {
          this.snapshot.recordBaseline(file, content, hash);
          dirs.add(path.dirname(file));
        })
        .then(() => {
          if (this.disposed || this.watcher?.kind !== 'native') return;
          this.fastPath = startFastPath(dirs, this.filter, (changes) => this.onWatcherChanges(changes));
        });
    }
  }

  /** An editor saved these files: reload now, without the watcher's debounce. */
  notifySaved(files: string[]): void {
    for (const file of files) this.debouncer.forget(file);
    const changes = files.filter((f) => this.filter.accepts(f)).map((f) => ({ path: f, kind: 'update' as const }));
    if (changes.length > 0) void this.onChanges(changes, Date.now(), 'save');
  }

  /** A full rebuild and restart, even with no change. */
  restart(): void {
    this.enqueue({ changes: new Map(), trigger: 'manual', firstEventAt: Date.now(), force: true });
  }

  /** Files whose working-tree content differs from the sources of the running version, with line counts. */
  changes(): SourceChange[] {
    return this.snapshot.changes();
  }

  /** A file's content in the sources of the running version (undefined when it did not exist). */
  runningContent(file: string): Buffer | undefined {
    return this.snapshot.builtContent(file);
  }

  /** Sends the user's input to the running program. */
  writeInput(data: string | Buffer): boolean {
    return this.program?.writeInput(data) ?? false;
  }

  /** Stops everything this session runs and waits until it is gone. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.watcher?.dispose();
    this.fastPath?.dispose();
    this.debouncer.dispose();
    clearTimeout(this.retryTimer);
    clearTimeout(this.goodTimer);
    this.pending = undefined;
    this.building?.abort();
    await this.loop?.catch(() => undefined);
    const program = this.program;
    this.program = undefined;
    this.running = undefined;
    if (program) await program.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
    await this.strategy.dispose();
    for (const command of this.settings.postStopCommands) {
      const result = await runShell(command, { cwd: this.settings.root, env: process.env });
      if (result.code !== 0) this.log('warn', `post-stop command failed: ${command}\n${result.output}`);
    }
    if (this.settings.cleanOnExit) fs.rmSync(this.settings.workDir, { recursive: true, force: true });
    this.setState('stopped', undefined);
    this.events.dispose();
  }

  /** For process exit handlers, where nothing asynchronous runs any more. */
  killAllSync(): void {
    this.registry.killAllSync();
  }

  /** Starts a version of the program; used by every strategy. */
  readonly launch = async (artifact: Artifact, extra: LaunchExtras = {}): Promise<ProgramProcess> => {
    const { env: fileEnv, problems } = loadEnvFiles(this.settings.envFiles);
    for (const problem of problems) this.log(problem.severity === 'error' ? 'error' : 'warn', problem.message);
    const colorEnv: Record<string, string> = this.options.color ? { FORCE_COLOR: '1', CLICOLOR_FORCE: '1' } : {};
    const program = await ProgramProcess.start({
      executable: artifact.path,
      args: this.settings.args,
      cwd: this.settings.cwd,
      env: { ...process.env, ...colorEnv, ...fileEnv, ...this.settings.env, HOTRELOAD_VERSION: String(artifact.version), ...artifact.env, ...extra.env },
      version: artifact.version,
      registry: this.registry,
      extraStdio: extra.stdio,
    });
    program.onOutput((stream, data) => this.events.fire({ type: 'output', stream, data, version: artifact.version }));
    return program;
  };

  private createStrategy(strategy: Strategy | 'auto'): RunStrategy {
    switch (strategy) {
      case 'restart':
        return new RestartStrategy(this.settings, this.launch);
      case 'auto':
      case 'handoff':
      case 'proxy':
      case 'patch':
        return createZeroDowntimeStrategy(strategy, {
          settings: this.settings,
          launch: this.launch,
          log: (level, message) => this.log(level, message),
          restart: () => new RestartStrategy(this.settings, this.launch),
        });
      default:
        throw new Error(`unknown strategy "${String(strategy)}": use auto, restart, handoff, proxy or patch`);
    }
  }

  private onWatcherChanges(changes: ChangedFile[]): void {
    if (changes.some((c) => path.basename(c.path) === '.gitignore')) this.filter.reloadGitignore?.();
    this.debouncer.add(changes);
  }

  private async onChanges(changes: ChangedFile[], firstEventAt: number, trigger: ReloadTrigger): Promise<void> {
    const real = await this.hashes.filterChanged(changes, (file, content, hash) => this.snapshot.recordChange(file, content, hash));
    if (real.length === 0 || this.disposed) return;
    this.enqueue({ changes: new Map(real.map((c) => [c.path, c])), trigger, firstEventAt, force: false });
  }

  private enqueue(reload: PendingReload): void {
    if (this.disposed) return;
    clearTimeout(this.retryTimer);
    this.crashCount = 0;
    if (this.pending) {
      for (const [file, change] of reload.changes) this.pending.changes.set(file, change);
      this.pending.force ||= reload.force;
      this.pending.firstEventAt = Math.min(this.pending.firstEventAt, reload.firstEventAt);
      if (this.pending.trigger === 'change' || this.pending.trigger === 'save') this.pending.trigger = reload.trigger;
    } else {
      this.pending = reload;
    }
    // A newer change makes the build under way pointless: cancel it (its whole process group).
    this.building?.abort();
    this.loop ??= this.runLoop().finally(() => (this.loop = undefined));
  }

  private async runLoop(): Promise<void> {
    while (this.pending && !this.disposed) {
      const reload = this.pending;
      this.pending = undefined;
      try {
        await this.reloadOnce(reload);
      } catch (err) {
        this.log('error', `reload failed unexpectedly: ${(err as Error).stack ?? String(err)}`);
        this.setState(this.program ? 'running' : 'crashed', (err as Error).message);
      }
    }
  }

  private async reloadOnce(reload: PendingReload): Promise<void> {
    const changedFiles = [...reload.changes.values()];
    const buildStarted = Date.now();
    const detectMs = Math.max(0, buildStarted - reload.firstEventAt);
    this.setState('building', changedFiles.length > 0 ? `${changedFiles.length} file(s) changed` : undefined);

    const controller = new AbortController();
    this.building = controller;
    const sources = this.snapshot.pendingForBuild();

    let fallbackNote: string | undefined;
    // A change confined to plugin folders is patched into the running process when it can be.
    if (this.strategy instanceof PatchStrategy && reload.trigger !== 'start' && reload.trigger !== 'manual' && this.program?.running && this.running) {
      const eligible = this.strategy.eligible(changedFiles);
      if ('slots' in eligible) {
        fallbackNote = await this.patchOnce(this.strategy, eligible.slots, reload, changedFiles, detectMs, sources, controller);
        if (fallbackNote === undefined) return;
      } else {
        fallbackNote = `not patched: ${eligible.reason}`;
      }
      if (fallbackNote) this.log('info', `${fallbackNote}; full build and handoff instead`);
    }
    const outFile = this.store.nextPath();
    const preBuild = await this.runPreBuild(controller.signal);
    // Plugins build beside the host (two builds share the cores better than they queue).
    const plugins = new AbortController();
    const cancelPlugins = () => plugins.abort();
    controller.signal.addEventListener('abort', cancelPlugins, { once: true });
    const pluginBuild = !preBuild && this.strategy instanceof PatchStrategy ? this.strategy.buildAll(plugins.signal) : undefined;
    const outcome: BuildOutcome = preBuild ?? (await this.builder.build(outFile, controller.signal));
    if (outcome.kind !== 'ok') plugins.abort();
    const pluginOutcome = await pluginBuild;
    controller.signal.removeEventListener('abort', cancelPlugins);
    this.building = undefined;
    const buildMs = Date.now() - buildStarted;

    if (outcome.kind === 'cancelled' || this.disposed) {
      this.store.discard(outFile);
      this.requeue(reload, changedFiles);
      return;
    }

    if (outcome.kind === 'failed') {
      this.store.discard(outFile);
      this.setDiagnostics(outcome.diagnostics);
      if (!this.settings.keepRunningOnBuildError && this.program) {
        const program = this.program;
        this.program = undefined;
        this.running = undefined;
        await program.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
      }
      const serving = this.running ? `; v${this.running.version} still serving` : '';
      // Diagnostics say what is wrong; output that parsed into none is shown as it came.
      if (outcome.diagnostics.length === 0 && outcome.output.trim()) this.log('error', outcome.output.trim());
      this.report(reload, changedFiles, { detectMs, buildMs, stopMs: 0, startMs: 0 }, 'build-failed', `${outcome.message}${serving}`);
      this.setState('failed', `${outcome.message}${serving}`);
      return;
    }

    let artifact = this.store.commit(outcome.file);
    if (pluginOutcome) {
      const plugins = pluginOutcome;
      if (plugins.kind !== 'patched') {
        if (plugins.kind === 'build-failed') {
          this.setDiagnostics(plugins.diagnostics);
          this.report(reload, changedFiles, { detectMs, buildMs: Date.now() - buildStarted, stopMs: 0, startMs: 0 }, 'build-failed', plugins.message);
          this.setState('failed', `${plugins.message}${this.running ? `; v${this.running.version} still serving` : ''}`);
        }
        return;
      }
      artifact = { ...artifact, env: plugins.env };
    }
    this.setDiagnostics([]);
    await this.deploy(artifact, reload, this.markBuilt(sources, changedFiles), detectMs, buildMs, fallbackNote);
  }

  /** The files of an abandoned build belong to the next reload's report. */
  private requeue(reload: PendingReload, changedFiles: ChangedFile[]): void {
    if (!this.pending) return;
    for (const change of changedFiles) if (!this.pending.changes.has(change.path)) this.pending.changes.set(change.path, change);
    this.pending.firstEventAt = Math.min(this.pending.firstEventAt, reload.firstEventAt);
    this.pending.force ||= reload.force;
    if (reload.trigger === 'start') this.pending.trigger = 'start';
  }

  /** Records the sources a good build was made from; the changed files gain their +/- line counts. */
  private markBuilt(sources: Map<string, string | null>, changedFiles: ChangedFile[]): ChangedFile[] {
    const stats = new Map(this.snapshot.markBuilt(sources).map((c) => [c.path, c]));
    return changedFiles.map((c) => ({ ...c, added: stats.get(c.path)?.added, removed: stats.get(c.path)?.removed }));
  }

  /**
   * Live patch: rebuild the touched plugins and load them into the running
   * process. Returns why not when a full build must follow instead.
   */
  private async patchOnce(
    strategy: PatchStrategy,
    slots: PluginFolder[],
    reload: PendingReload,
    changedFiles: ChangedFile[],
    detectMs: number,
    sources: Map<string, string | null>,
    controller: AbortController,
  ): Promise<string | undefined> {
    const program = this.program!;
    const base = this.running!;
    this.setState('building', `patching ${slots.map((s) => s.slot).join(', ')}`);
    const result = await strategy.patch(program, slots, base.version + 1, controller.signal);
    this.building = undefined;
    if (result.kind === 'cancelled' || this.disposed) {
      this.requeue(reload, changedFiles);
      return undefined;
    }
    if (result.kind === 'build-failed') {
      this.setDiagnostics(result.diagnostics);
      this.report(reload, changedFiles, { detectMs, buildMs: result.buildMs, stopMs: 0, startMs: 0 }, 'build-failed', result.message);
      this.setState('failed', `${result.message}; v${base.version} still serving`);
      return undefined;
    }
    if (result.kind === 'fallback') {
      // The running process still has the old logic; a full build and handoff replace it.
      this.building = controller;
      return `not patched: ${result.reason}`;
    }
    const artifact = this.store.commitPatch(base, result.env);
    this.running = artifact;
    this.setDiagnostics([]);
    this.report(reload, this.markBuilt(sources, changedFiles), { detectMs, buildMs: result.buildMs, stopMs: 0, startMs: result.loadMs }, 'patched', `${result.slots.join(', ')} patched in pid ${program.pid} (${strategy.patchCount} since its start)`);
    this.setState('running', undefined);
    const clean = strategy.cleanRestartReason(program);
    if (clean) {
      this.log('info', `${clean}: a clean handoff restart follows, as old plugin code cannot be unloaded`);
      this.enqueue({ changes: new Map(), trigger: 'manual', firstEventAt: Date.now(), force: true });
    }
    return undefined;
  }

  private async runPreBuild(signal: AbortSignal): Promise<BuildOutcome | undefined> {
    for (const command of this.settings.preBuildCommands) {
      const result = await runShell(command, { cwd: this.settings.root, env: { ...process.env, ...this.settings.buildEnv }, signal });
      if (result.cancelled) return { kind: 'cancelled' };
      if (result.code !== 0) {
        return {
          kind: 'failed',
          diagnostics: [],
          output: result.output,
          message: `pre-build command \`${command}\` failed (${result.spawnError?.message ?? `exit status ${result.code ?? result.signal}`})`,
        };
      }
    }
    return undefined;
  }

  private async deploy(artifact: Artifact, reload: PendingReload, changedFiles: ChangedFile[], detectMs: number, buildMs: number, note?: string): Promise<void> {
    this.setState('starting', `starting v${artifact.version}`);
    const previous = this.program;
    // The old version leaves on purpose: its exit is not a crash.
    this.program = undefined;
    const result = await this.strategy.deploy(artifact, previous);
    const phases = { detectMs, buildMs, stopMs: result.stopMs, startMs: result.startMs };
    if (!result.ok) {
      // The new version never served; whatever served before still does (zero-downtime strategies).
      if (previous?.running) this.program = previous;
      const panic = parseGoPanic(result.output, { moduleRoot: this.settings.moduleRoot, cwd: this.settings.cwd });
      this.setDiagnostics(panic ? [panic] : []);
      this.log('error', `v${artifact.version} failed to start: ${result.message}`);
      this.report(reload, changedFiles, phases, this.program ? 'rolled-back' : 'crashed', [note, result.message].filter(Boolean).join('; '), this.running?.version ?? artifact.version);
      this.setState(this.program ? 'running' : 'crashed', `v${artifact.version} failed to start: ${result.message}`);
      return;
    }
    this.program = result.program;
    this.running = artifact;
    if (this.disposed) return;
    this.watchProgram(result.program, artifact);
    if (result.note) this.log('info', result.note);
    this.report(reload, changedFiles, phases, result.outcome, [note, result.note].filter(Boolean).join('; ') || undefined);
    this.setState('running', undefined);
    this.store.prune([artifact, ...(this.lastGood ? [this.lastGood] : [])]);
  }

  /** Marks a version good once it survives the crash window, and handles its exit. */
  private watchProgram(program: ProgramProcess, artifact: Artifact): void {
    clearTimeout(this.goodTimer);
    this.goodTimer = setTimeout(() => {
      if (this.program === program && program.running) {
        this.lastGood = artifact;
        this.crashCount = 0;
      }
    }, this.settings.crashWindowMs);
    void program.exited.then((exit) => {
      if (this.program === program && !this.disposed) this.onProgramExit(program, artifact, exit);
    });
  }

  private onProgramExit(program: ProgramProcess, artifact: Artifact, exit: ProgramExit): void {
    this.program = undefined;
    this.running = undefined;
    const lived = Date.now() - program.startedAt;
    const how = describeExit(exit);
    const panic = parseGoPanic(program.outputTail(), { moduleRoot: this.settings.moduleRoot, cwd: this.settings.cwd });
    if (panic) this.setDiagnostics([panic]);
    const phases = { detectMs: 0, buildMs: 0, stopMs: 0, startMs: 0 };
    const reload: PendingReload = { changes: new Map(), trigger: 'rollback', firstEventAt: Date.now(), force: false };

    if (lived < this.settings.crashWindowMs) {
      this.crashCount++;
      const why = `v${artifact.version} crashed on start (${how})${panic ? `: ${panic.message.split('\n')[0]}` : ''}`;
      this.log('error', why);
      const target = this.lastGood && this.lastGood.version !== artifact.version ? this.lastGood : artifact;
      const delay = target === artifact || this.crashCount > 1 ? CRASH_BACKOFF_MS[this.crashCount - 1] : 0;
      if (delay === undefined) {
        this.report(reload, [], phases, 'crashed', why, artifact.version);
        this.setState('crashed', `${why}; gave up after ${this.crashCount} attempts: save a change or restart to try again`);
        return;
      }
      if (target === artifact && !this.lastGood) {
        this.report(reload, [], phases, 'crashed', why, artifact.version);
        this.setState('crashed', `${why}; retrying in ${delay / 1000}s`);
      } else {
        this.setState('crashed', delay ? `${why}; starting v${target.version} in ${delay / 1000}s` : `${why}; starting v${target.version} again`);
      }
      this.retryTimer = setTimeout(() => void this.rollBack(target, why), delay);
      return;
    }

    // It ran for a while, then exited by itself.
    if (exit.code === 0) {
      this.log('info', `v${artifact.version} exited (status 0)`);
      this.setState('idle', `v${artifact.version} exited with status 0${this.settings.rerun ? '' : '; save a change to run it again'}`);
    } else {
      this.log('error', `v${artifact.version} ${how}`);
      this.setState('crashed', `v${artifact.version} ${how}${this.settings.rerun ? '' : '; save a change to run it again'}`);
    }
    if (this.settings.rerun) {
      this.retryTimer = setTimeout(() => void this.rollBack(artifact, 'rerun after exit', 'rerun'), this.settings.rerunDelayMs);
    }
  }

  /** Starts a known artifact again (the last good one after a crash, or the same one to rerun). */
  private async rollBack(target: Artifact, why: string, trigger: ReloadTrigger = 'rollback'): Promise<void> {
    if (this.disposed || this.program || this.loop) return;
    const reload: PendingReload = { changes: new Map(), trigger, firstEventAt: Date.now(), force: false };
    this.setState('starting', `starting v${target.version}`);
    const result = await this.strategy.deploy(target, undefined);
    if (this.disposed) return;
    if (!result.ok) {
      this.report(reload, [], { detectMs: 0, buildMs: 0, stopMs: 0, startMs: result.startMs }, 'crashed', result.message, target.version);
      this.setState('crashed', `cannot start v${target.version}: ${result.message}`);
      return;
    }
    this.program = result.program;
    this.running = target;
    this.watchProgram(result.program, target);
    this.report(
      reload,
      [],
      { detectMs: 0, buildMs: 0, stopMs: 0, startMs: result.startMs },
      trigger === 'rollback' ? 'rolled-back' : 'restarted',
      trigger === 'rollback' ? `${why}; v${target.version} serves again` : why,
      target.version,
    );
    this.setState('running', trigger === 'rollback' ? `rolled back to v${target.version}: ${why}` : undefined);
  }

  private setDiagnostics(diagnostics: Diagnostic[]): void {
    if (diagnostics.length === 0 && this.diagnostics.length === 0) return;
    this.diagnostics = diagnostics;
    this.events.fire({ type: 'diagnostics', diagnostics });
  }

  private setState(state: SessionState, detail: string | undefined): void {
    this.state = state;
    this.events.fire({
      type: 'state',
      state,
      version: this.running?.version,
      pid: this.program?.pid,
      strategy: this.strategy.name,
      detail,
      errorCount: this.diagnostics.filter((d) => d.severity === 'error').length,
      lastReloadAt: this.lastReport?.finishedAt,
      lastOutcome: this.lastReport?.outcome,
    });
  }

  private report(
    reload: PendingReload,
    changedFiles: ChangedFile[],
    phases: { detectMs: number; buildMs: number; stopMs: number; startMs: number },
    outcome: ReloadOutcome,
    message?: string,
    version = this.running?.version ?? 0,
  ): void {
    const totalMs = phases.detectMs + phases.buildMs + phases.stopMs + phases.startMs;
    this.lastReport = {
      version,
      trigger: reload.trigger,
      changedFiles,
      phases: { ...phases, totalMs },
      outcome,
      strategy: this.strategy.name,
      pid: this.program?.pid,
      message,
      finishedAt: Date.now(),
    };
    this.events.fire({ type: 'reload', report: this.lastReport });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.events.fire({ type: 'log', level, message });
  }
}

function describeExit(exit: ProgramExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with status ${exit.code}`;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'app';
}
