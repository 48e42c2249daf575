import type { Artifact } from '../../kernel/artifact';
import type { Program } from '../../processes/program';
import type { InPlaceUpdates } from '../../strategies/strategy';
import { markBuilt, reloadOf, type ReloadParts, type ReloadRun } from './reloadRun';
import type { ReloadResult } from './result';

/** What an in-place update works on: the strategy's updates, the live process, the version it serves. */
export interface InPlaceTarget {
  updates: InPlaceUpdates;
  program: Program;
  base: Artifact;
}

/** The in-place update of a change, when the strategy can make one and a version is running. */
export function inPlaceTarget(parts: ReloadParts, run: ReloadRun): InPlaceTarget | undefined {
  const { strategy, keeper } = parts;
  const { trigger } = run.reload;
  const updates = strategy.inPlace;
  const program = keeper.program;
  const base = keeper.artifact;
  if (!updates || trigger === 'start' || trigger === 'manual' || !program?.running || !base) return undefined;
  return { updates, program, base };
}

/**
 * Updates the running process in place: the change's units are built and loaded into it, which
 * then serves as the next version. `fallback` when the change or the process does not allow it
 * (a full build and deploy follow, and the process still has the old logic).
 */
export async function updateInPlace(parts: ReloadParts, run: ReloadRun, target: InPlaceTarget): Promise<ReloadResult | { kind: 'fallback'; reason: string }> {
  const { reporter, keeper, store } = parts;
  const { updates, program, base } = target;
  const plan = updates.plan(run.changedFiles, program);
  if ('fallback' in plan) return { kind: 'fallback', reason: plan.fallback };
  reporter.setState('building', `patching ${plan.what}`);
  const result = await updates.apply(plan, program, store.nextVersion, run.running.signal);
  if (result.kind === 'cancelled' || parts.disposed()) return { kind: 'cancelled' };
  if (result.kind === 'fallback') return { kind: 'fallback', reason: result.reason };
  run.running.cancellable = false;
  if (result.kind === 'build-failed') {
    const { message, diagnostics } = result;
    return { kind: 'build-failed', ...reloadOf(run, result.buildMs), message, diagnostics, serving: base.version };
  }
  keeper.updated(store.commitInPlace(base));
  const { trigger, phases } = reloadOf(run, result.buildMs);
  return {
    kind: 'patched',
    trigger,
    changedFiles: markBuilt(parts.snapshot, run),
    phases: { ...phases, startMs: result.loadMs },
    message: result.message,
    cleanRestart: updates.cleanRestartReason(program),
  };
}
