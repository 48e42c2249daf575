/**
 * reload/: one reload, from the change to the version serving. It begins (the files settle, the
 * sources to build are taken from the snapshot), then takes the first way that applies: the
 * running version's executable again (a restart with nothing changed, restartReuse.ts), an
 * in-place update (updateInPlace.ts), or a build (buildVersion.ts: pre-build commands, the
 * program's build beside the strategy's own, progress through progressGate.ts, versioned
 * artifacts in artifacts.ts) and the strategy's deploy. Every way ends in one ReloadResult
 * (result.ts), which the reporter says; a failed build leaves the running version alone, and a
 * version that fails to start leaves the old one serving.
 */
import type { Artifact } from '../../kernel/artifact';
import type { ChangedFile } from '../../kernel/events';
import type { DeployResult } from '../../strategies/strategy';
import type { PendingReload, RunningReload } from '../intake/reloadQueue';
import { setupDiagnostic } from '../report/problemSite';
import type { Redeploy } from '../serving/keeper';
import { buildVersion, type Built } from './buildVersion';
import { markBuilt, reloadOf, type ReloadParts, type ReloadRun } from './reloadRun';
import { reusableArtifact } from './restartReuse';
import type { Made, ReloadResult } from './result';
import { inPlaceTarget, updateInPlace } from './updateInPlace';

export type { ReloadParts } from './reloadRun';

/** How a version about to be deployed came about, for its result. */
interface Deployment {
  made: Made;
  buildMs: number;
  changedFiles: ChangedFile[];
  notPatched?: string;
}

export class Reloader {
  constructor(private readonly parts: ReloadParts) {}

  /** One reload of a change: it runs to its result, which is then said. */
  async run(reload: PendingReload, running: RunningReload): Promise<void> {
    const { speculator } = this.parts;
    // Nothing is built before the save while a reload runs: it never competes with one.
    speculator?.suspend();
    try {
      const run = await this.begin(reload, running);
      this.finish(run, await this.reload(run));
    } finally {
      this.parts.barrier?.finished();
      speculator?.resume();
    }
  }

  /** A reload threw (a bug, or the file system gave way): said, and the state is what serves. */
  failedUnexpectedly(err: Error): void {
    const { reporter, keeper } = this.parts;
    reporter.log('error', `reload failed unexpectedly: ${err.stack ?? String(err)}`);
    reporter.setState(keeper.program ? 'running' : 'crashed', err.message);
  }

  /** Starts a known artifact again (the last good one after a crash, or the same one to retry or rerun). */
  async redeploy({ target, why, trigger }: Redeploy): Promise<void> {
    const { reporter, strategy, keeper, queue } = this.parts;
    if (this.parts.disposed() || keeper.program || queue.busy) return;
    reporter.setState('starting', `starting v${target.version}`);
    const result = await strategy.deploy(target, undefined);
    if (this.parts.disposed()) return;
    if (result.ok) keeper.serve(result.program, target);
    const { version } = target;
    reporter.tell(
      result.ok
        ? { kind: 'redeployed', trigger, version, why, startMs: result.startMs }
        : { kind: 'redeploy-failed', trigger, version, message: result.message, startMs: result.startMs },
    );
  }

  /** The way this reload goes: the running version again, in place, or built and deployed. */
  private async reload(run: ReloadRun): Promise<ReloadResult> {
    const reused = run.reload.reuse ? await this.reuse(run) : undefined;
    if (reused) return reused;
    const target = inPlaceTarget(this.parts, run);
    const inPlace = target ? await updateInPlace(this.parts, run, target) : undefined;
    if (inPlace && inPlace.kind !== 'fallback') return inPlace;
    const notPatched = inPlace ? `not patched: ${inPlace.reason}` : undefined;
    if (notPatched) this.parts.reporter.log('info', `${notPatched}; full build and handoff instead`);
    const built = await buildVersion(this.parts, run);
    // A cancelled build leaves a transaction (barrier.finished) rather than failing it.
    const pass = built.kind === 'cancelled' ? undefined : await this.parts.barrier?.arrive(built.kind === 'built');
    if (built.kind !== 'built') return built;
    if (pass && !pass.deploy) return this.held(run, built, pass.why);
    const before = this.parts.keeper.artifact;
    const result = await this.deploy(run, built.artifact, {
      made: built.made,
      buildMs: built.buildMs,
      changedFiles: markBuilt(this.parts.snapshot, run),
      notPatched,
    });
    pass?.deployed(result.kind === 'deployed', before && ((why) => this.revert(before, why)));
    return result;
  }

  /**
   * Serves `previous` again in place of the version serving now (a system's service whose change
   * another service failed to start), with the strategy's own switch. The next change builds anew.
   */
  private async revert(previous: Artifact, why: string): Promise<void> {
    const { reporter, strategy, keeper } = this.parts;
    if (this.parts.disposed() || keeper.artifact === previous) return;
    reporter.setState('starting', `back to v${previous.version}`);
    const result = await strategy.deploy(previous, keeper.release());
    if (result.ok) keeper.serve(result.program, previous);
    else keeper.restore();
    const { version } = previous;
    reporter.tell(
      result.ok
        ? { kind: 'redeployed', trigger: 'rollback', version, why, startMs: result.startMs }
        : { kind: 'redeploy-failed', trigger: 'rollback', version, message: result.message, startMs: result.startMs },
    );
  }

  /** A good build another service's failure keeps from switching: its sources stay pending, for the next reload to build again. */
  private held(run: ReloadRun, built: Built, why: string): ReloadResult {
    const serving = this.parts.keeper.artifact?.version;
    return { kind: 'held', ...reloadOf(run, built.buildMs), version: built.artifact.version, why, serving };
  }

  private async begin(reload: PendingReload, running: RunningReload): Promise<ReloadRun> {
    const { snapshot, clock } = this.parts;
    const changes = [...reload.changes.values()];
    const startedAt = clock.now();
    // A restart that may start the running version again says "building" only once it must build.
    if (!reload.reuse) this.building(changes.length);
    // A file still being written when its first event came (truncated, then filled) is built as it is
    // now; the event of its last write then finds nothing new, instead of a second reload.
    await this.parts.settle([...snapshot.pendingForBuild().keys()]);
    const sources = snapshot.pendingForBuild();
    // A restart names what differs from the running version (a failed build's files, say), since no event did.
    const differing = reload.trigger === 'manual' ? snapshot.changes().map(({ path, kind }) => ({ path, kind })) : [];
    const detectMs = Math.max(0, startedAt - reload.firstEventAt);
    return { reload, running, startedAt, detectMs, changedFiles: changes.length > 0 ? changes : differing, sources, differing };
  }

  /** A restart with no source changed starts the running version's executable again; undefined when it must build. */
  private async reuse(run: ReloadRun): Promise<ReloadResult | undefined> {
    const { keeper, settings, reporter } = this.parts;
    const reuse = reusableArtifact({
      artifact: keeper.artifact,
      program: keeper.program,
      changedSources: run.differing.map((c) => c.path),
      watching: this.parts.watching,
      preBuildCommands: settings.preBuildCommands,
      root: settings.root,
    });
    if ('why' in reuse) {
      reporter.log('info', `restart: building, as ${reuse.why}`);
      this.building(run.changedFiles.length);
      return undefined;
    }
    run.running.cancellable = false;
    reporter.log('info', `restart: no source changed since v${reuse.artifact.version} was built, so it starts again without a build`);
    return this.deploy(run, reuse.artifact, { made: 'reused', buildMs: 0, changedFiles: [] });
  }

  private async deploy(run: ReloadRun, artifact: Artifact, how: Deployment): Promise<ReloadResult> {
    const { reporter, strategy, keeper } = this.parts;
    reporter.setState('starting', `starting v${artifact.version}`);
    const previous = keeper.artifact?.version;
    const result = await strategy.deploy(artifact, keeper.release());
    const { trigger, phases } = reloadOf(run, how.buildMs);
    const reload = { trigger, changedFiles: how.changedFiles, phases: { ...phases, stopMs: result.stopMs, startMs: result.startMs } };
    if (result.ok) {
      keeper.serve(result.program, artifact);
      return { kind: 'deployed', ...reload, outcome: result.outcome, made: how.made, notPatched: how.notPatched, note: result.note };
    }
    // The new version never served; whatever served before still does (zero-downtime strategies).
    keeper.restore();
    return {
      kind: 'start-failed',
      ...reload,
      version: artifact.version,
      previous,
      message: result.message,
      notPatched: how.notPatched,
      diagnostic: this.startFailure(result),
      serving: keeper.program !== undefined,
      headline: result.problem?.headline,
    };
  }

  /** Where a version that failed to start shows why: its setup mistake's line, or its crash. */
  private startFailure(result: Extract<DeployResult, { ok: false }>) {
    const { settings, snapshot, language } = this.parts;
    return result.problem
      ? setupDiagnostic(snapshot.builtFiles(), settings.root, result.message, result.problem.port)
      : language.parseCrash(result.output, settings);
  }

  /** Says the result (a session being stopped says nothing more), then does what follows from it. */
  private finish(run: ReloadRun, result: ReloadResult): void {
    const { reporter, queue, store, keeper, host, clock } = this.parts;
    if (result.kind === 'cancelled' || this.parts.disposed()) {
      queue.requeue(run.reload, run.changedFiles);
      return;
    }
    reporter.tell(result);
    if (result.kind === 'deployed') {
      store.prune(keeper.kept);
      host.prune(keeper.kept.map((a) => a.version));
    } else if (result.kind === 'patched' && result.cleanRestart) {
      reporter.log('info', `${result.cleanRestart}: a clean handoff restart follows, as old plugin code cannot be unloaded`);
      queue.enqueue({ changes: new Map(), trigger: 'manual', firstEventAt: clock.now(), force: true });
    }
  }

  private building(files: number): void {
    this.parts.reporter.setState('building', files > 0 ? `${files} file(s) changed` : undefined);
  }
}
