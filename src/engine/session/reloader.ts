import type { Artifact } from '../kernel/artifact';
import type { ChangedFile, ReloadReport } from '../kernel/events';
import type { Builder, BuildOutcome, Language } from '../languages';
import type { ProcessHost } from '../processes/processHost';
import { runShell } from '../processes/runCommand';
import type { Settings } from '../settings/types';
import type { Preparation, RunStrategy } from '../strategies/strategy';
import type { ArtifactStore } from './artifacts';
import type { ProgramKeeper, RedeployTrigger } from './keeper';
import type { PendingReload, ReloadQueue, RunningReload } from './reloadQueue';
import type { SessionReporter } from './reporter';
import { setupDiagnostic } from './problemSite';
import { reusableArtifact } from './restartReuse';
import type { SourceSnapshot } from './snapshot';
import type { Speculator } from './speculator';
import { ProgressGate } from './progressGate';

/** The parts one reload works with. */
export interface ReloadParts {
  settings: Settings;
  language: Language;
  builder: Builder;
  strategy: RunStrategy;
  store: ArtifactStore;
  snapshot: SourceSnapshot;
  keeper: ProgramKeeper;
  reporter: SessionReporter;
  queue: ReloadQueue;
  /** Builds made before the save, when the session makes them. */
  speculator: Speculator | undefined;
  host: ProcessHost;
  /** Reads the changed files again as the build starts: what it records as built is what the compiler reads. */
  settle(files: string[]): Promise<void>;
  /** Whether the watcher follows the tree (so the snapshot knows every change). */
  watching: boolean;
  disposed(): boolean;
}

/**
 * One reload: an in-place update when the strategy can take the change, else pre-build commands,
 * the build (with the strategy's own preparation beside it), then the strategy's deploy. A failed
 * build leaves the running version alone; a version that fails to start leaves the old one serving.
 */
export class Reloader {
  constructor(private readonly parts: ReloadParts) {}

  async run(reload: PendingReload, running: RunningReload): Promise<void> {
    const { reporter, strategy, keeper, store, snapshot, settings } = this.parts;
    let changedFiles = [...reload.changes.values()];
    const buildStarted = Date.now();
    const detectMs = Math.max(0, buildStarted - reload.firstEventAt);
    // A restart that may start the running version again says "building" only once it must build.
    if (!reload.reuse) reporter.setState('building', changedFiles.length > 0 ? `${changedFiles.length} file(s) changed` : undefined);
    // A file still being written when its first event came (truncated, then filled) is built as it is
    // now; the event of its last write then finds nothing new, instead of a second reload.
    await this.parts.settle([...snapshot.pendingForBuild().keys()]);
    const sources = snapshot.pendingForBuild();
    // A restart names what differs from the running version (a failed build's files, say), since no event did.
    const differing = reload.trigger === 'manual' ? snapshot.changes().map(({ path, kind }) => ({ path, kind })) : [];
    if (changedFiles.length === 0) changedFiles = differing;
    if (reload.reuse) {
      const reuse = reusableArtifact({
        artifact: keeper.artifact,
        program: keeper.program,
        changedSources: differing.map((c) => c.path),
        watching: this.parts.watching,
        preBuildCommands: settings.preBuildCommands,
        root: settings.root,
      });
      if ('artifact' in reuse) {
        running.cancellable = false;
        reporter.log('info', `restart: no source changed since v${reuse.artifact.version} was built, so it starts again without a build`);
        await this.deploy(reuse.artifact, reload, [], detectMs, 0, undefined, { unchangedSources: true });
        return;
      }
      reporter.log('info', `restart: building, as ${reuse.why}`);
      reporter.setState('building', changedFiles.length > 0 ? `${changedFiles.length} file(s) changed` : undefined);
    }

    let note: string | undefined;
    const current = keeper.program;
    const base = keeper.artifact;
    if (strategy.inPlace && reload.trigger !== 'start' && reload.trigger !== 'manual' && current?.running && base) {
      const outcome = await this.inPlace(reload, changedFiles, detectMs, sources, running);
      if (outcome === undefined) return;
      note = `not patched: ${outcome}`;
      reporter.log('info', `${note}; full build and handoff instead`);
    }

    const outFile = store.nextPath();
    const preBuild = await this.preBuild(running.signal);
    // The strategy's own build work runs beside the program's (two builds share the cores better than they queue).
    const beside = new AbortController();
    const cancelBeside = () => beside.abort();
    running.signal.addEventListener('abort', cancelBeside, { once: true });
    const preparation: Promise<Preparation> | undefined = !preBuild && strategy.prepare ? strategy.prepare(beside.signal) : undefined;
    const { outcome, builtBeforeSave } = preBuild ? { outcome: preBuild, builtBeforeSave: false } : await this.build(reload, outFile, running.signal);
    if (outcome.kind !== 'ok') beside.abort();
    const prepared = await preparation;
    running.signal.removeEventListener('abort', cancelBeside);
    running.cancellable = false;
    const buildMs = Date.now() - buildStarted;

    if (outcome.kind === 'cancelled' || this.parts.disposed()) {
      store.discard(outFile);
      this.parts.queue.requeue(reload, changedFiles);
      return;
    }
    if (outcome.kind === 'failed') {
      store.discard(outFile);
      reporter.setDiagnostics(outcome.diagnostics);
      if (!settings.keepRunningOnBuildError) await keeper.take()?.stop(settings.stopSignal, settings.gracePeriodMs);
      const serving = keeper.artifact ? `; v${keeper.artifact.version} still serving` : '';
      // Diagnostics say what is wrong; output that parsed into none is shown as it came.
      if (outcome.diagnostics.length === 0 && outcome.output.trim()) reporter.log('error', outcome.output.trim());
      reporter.report(reload.trigger, changedFiles, { detectMs, buildMs, stopMs: 0, startMs: 0 }, 'build-failed', `${outcome.message}${serving}`);
      reporter.setState('failed', `${outcome.message}${serving}`);
      return;
    }
    if (prepared && prepared.kind !== 'ok') {
      if (prepared.kind === 'failed') {
        reporter.setDiagnostics(prepared.diagnostics);
        reporter.report(
          reload.trigger,
          changedFiles,
          { detectMs, buildMs: Date.now() - buildStarted, stopMs: 0, startMs: 0 },
          'build-failed',
          prepared.message,
        );
        reporter.setState('failed', `${prepared.message}${keeper.artifact ? `; v${keeper.artifact.version} still serving` : ''}`);
      }
      return;
    }
    const artifact = store.commit(outcome.file);
    prepared?.bind(artifact.version);
    reporter.setDiagnostics([]);
    await this.deploy(artifact, reload, this.markBuilt(sources, changedFiles), detectMs, buildMs, note, { builtBeforeSave });
  }

  /** The program's build: made before the save when the speculator has it, else now. */
  private build(reload: PendingReload, outFile: string, signal: AbortSignal): Promise<{ outcome: BuildOutcome; builtBeforeSave: boolean }> {
    const { builder, speculator, reporter } = this.parts;
    const env = this.targetEnv();
    const gate = new ProgressGate((progress) => reporter.progress(progress));
    const real = async (s: AbortSignal) => builder.build(outFile, s, { env: await env, onProgress: (progress) => gate.update(progress) });
    const built = speculator ? speculator.build(reload.trigger, outFile, signal, real) : real(signal).then((outcome) => ({ outcome, builtBeforeSave: false }));
    return built.then(
      (result) => {
        gate.end(result.outcome.kind === 'ok' ? 'built' : result.outcome.kind === 'failed' ? 'build failed' : 'build cancelled');
        return result;
      },
      (err: unknown) => {
        gate.end('build failed');
        throw err;
      },
    );
  }

  /** What builds for the target need (GOOS, GOARCH); a target out of reach fails the build with why. */
  private async targetEnv(): Promise<Record<string, string>> {
    try {
      return await this.parts.host.buildEnv(this.parts.settings.buildEnv);
    } catch {
      return {};
    }
  }

  /** Starts a known artifact again (the last good one after a crash, or the same one to rerun). */
  async redeploy(target: Artifact, why: string, trigger: RedeployTrigger): Promise<void> {
    const { reporter, strategy, keeper } = this.parts;
    if (this.parts.disposed() || keeper.program || this.parts.queue.busy) return;
    reporter.setState('starting', `starting v${target.version}`);
    const result = await strategy.deploy(target, undefined);
    if (this.parts.disposed()) return;
    if (!result.ok) {
      reporter.report(trigger, [], { detectMs: 0, buildMs: 0, stopMs: 0, startMs: result.startMs }, 'crashed', result.message, target.version);
      reporter.setState('crashed', `cannot start v${target.version}: ${result.message}`);
      return;
    }
    keeper.serve(result.program, target);
    const phases = { detectMs: 0, buildMs: 0, stopMs: 0, startMs: result.startMs };
    if (trigger === 'rollback') {
      reporter.report(trigger, [], phases, 'rolled-back', `${why}; v${target.version} serves again`, target.version);
      reporter.setState('running', `rolled back to v${target.version}: ${why}`);
    } else {
      // A retry starts the version that crashed once more (no good one to go back to); a rerun, one that exited.
      reporter.report(trigger, [], phases, 'restarted', trigger === 'retry' ? `started v${target.version} again after: ${why}` : why, target.version);
      reporter.setState('running', trigger === 'retry' ? `v${target.version} started again after it crashed on start` : undefined);
    }
  }

  /** Undefined when the reload is done (updated in place, failed, cancelled); else why a full build follows. */
  private async inPlace(
    reload: PendingReload,
    changedFiles: ChangedFile[],
    detectMs: number,
    sources: Map<string, string | null>,
    running: RunningReload,
  ): Promise<string | undefined> {
    const { reporter, strategy, keeper, store } = this.parts;
    const inPlace = strategy.inPlace!;
    const program = keeper.program!;
    const base = keeper.artifact!;
    const plan = inPlace.plan(changedFiles, program);
    if ('fallback' in plan) return plan.fallback;
    reporter.setState('building', `patching ${plan.what}`);
    const result = await inPlace.apply(plan, program, store.nextVersion, running.signal);
    if (result.kind === 'cancelled' || this.parts.disposed()) {
      this.parts.queue.requeue(reload, changedFiles);
      return undefined;
    }
    if (result.kind === 'build-failed') {
      running.cancellable = false;
      reporter.setDiagnostics(result.diagnostics);
      reporter.report(reload.trigger, changedFiles, { detectMs, buildMs: result.buildMs, stopMs: 0, startMs: 0 }, 'build-failed', result.message);
      reporter.setState('failed', `${result.message}; v${base.version} still serving`);
      return undefined;
    }
    // The running process still has the old logic; a full build and deploy replace it.
    if (result.kind === 'fallback') return result.reason;
    running.cancellable = false;
    keeper.updated(store.commitInPlace(base));
    reporter.setDiagnostics([]);
    reporter.report(
      reload.trigger,
      this.markBuilt(sources, changedFiles),
      { detectMs, buildMs: result.buildMs, stopMs: 0, startMs: result.loadMs },
      'patched',
      result.message,
    );
    reporter.setState('running', undefined);
    const clean = inPlace.cleanRestartReason(program);
    if (clean) {
      reporter.log('info', `${clean}: a clean handoff restart follows, as old plugin code cannot be unloaded`);
      this.parts.queue.enqueue({ changes: new Map(), trigger: 'manual', firstEventAt: Date.now(), force: true });
    }
    return undefined;
  }

  private async preBuild(signal: AbortSignal): Promise<BuildOutcome | undefined> {
    const { settings } = this.parts;
    for (const command of settings.preBuildCommands) {
      const result = await runShell(command, { cwd: settings.root, env: { ...process.env, ...settings.buildEnv }, signal, host: this.parts.host });
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

  private async deploy(
    artifact: Artifact,
    reload: PendingReload,
    changedFiles: ChangedFile[],
    detectMs: number,
    buildMs: number,
    note: string | undefined,
    details: Pick<ReloadReport, 'builtBeforeSave' | 'unchangedSources'>,
  ): Promise<void> {
    const { reporter, strategy, keeper, store, settings } = this.parts;
    reporter.setState('starting', `starting v${artifact.version}`);
    const previousVersion = keeper.artifact?.version;
    const result = await strategy.deploy(artifact, keeper.release());
    const phases = { detectMs, buildMs, stopMs: result.stopMs, startMs: result.startMs };
    if (!result.ok) {
      // The new version never served; whatever served before still does (zero-downtime strategies).
      keeper.restore();
      const crash = result.problem
        ? setupDiagnostic(this.parts.snapshot.builtFiles(), settings.root, result.message, result.problem.port)
        : this.parts.language.parseCrash(result.output, settings);
      reporter.setDiagnostics(crash ? [crash] : []);
      reporter.log('error', `v${artifact.version} failed to start: ${result.message}`);
      const serving = keeper.program !== undefined;
      reporter.report(
        reload.trigger,
        changedFiles,
        phases,
        serving ? 'rolled-back' : 'crashed',
        [note, result.message].filter(Boolean).join('; '),
        previousVersion ?? artifact.version,
      );
      reporter.setState(
        serving ? 'running' : 'crashed',
        `v${artifact.version} failed to start: ${result.message}`,
        serving ? undefined : result.problem?.headline,
      );
      return;
    }
    keeper.serve(result.program, artifact);
    if (this.parts.disposed()) return;
    if (result.note) reporter.log('info', result.note);
    reporter.report(reload.trigger, changedFiles, phases, result.outcome, [note, result.note].filter(Boolean).join('; ') || undefined, undefined, details);
    reporter.setState('running', undefined);
    store.prune(keeper.kept);
    this.parts.host.prune(keeper.kept.map((a) => a.version));
  }

  /** Records the sources a good build was made from; the changed files gain their +/- line counts. */
  private markBuilt(sources: Map<string, string | null>, changedFiles: ChangedFile[]): ChangedFile[] {
    const stats = new Map(this.parts.snapshot.markBuilt(sources).map((c) => [c.path, c]));
    return changedFiles.map((c) => ({ ...c, added: stats.get(c.path)?.added, removed: stats.get(c.path)?.removed }));
  }
}
