/**
 * serving/: the version that runs. The launcher starts versions for every strategy (where, how,
 * with what environment, under the debugger); the keeper keeps the serving one alive (crash
 * window, rollback, backoff, rerun) and judges each exit (exitVerdict.ts), which the reporter
 * then says; the target watch starts the program again once a lost remote target is back.
 */
import type { Artifact } from '../../kernel/artifact';
import type { Clock, Timer } from '../../kernel/clock';
import type { Diagnostic } from '../../kernel/diagnostic';
import type { ProgramExit } from '../../kernel/exits';
import { runningMs, type Program } from '../../processes/program';
import type { Settings } from '../../settings/types';
import { judgeExit, type ExitVerdict, type RedeployTrigger } from './exitVerdict';

export { CRASH_BACKOFF_MS } from './exitVerdict';

/** What serves, and what the keeper is waiting for. */
export type KeeperState =
  /** Nothing runs: not started yet, stopped, or gave up after crashes. */
  | { kind: 'idle' }
  | { kind: 'serving'; program: Program; artifact: Artifact }
  /** A deploy is under way: `leaving` (if any) gives way on purpose, so its exit is no crash. */
  | { kind: 'replacing'; artifact: Artifact | undefined; leaving: Program | undefined }
  /** The version died; `target` starts again after a delay (rollback, retry or rerun). */
  | { kind: 'waiting'; target: Artifact; why: string; trigger: RedeployTrigger; timer: Timer };

/** A known version to start again, with nothing serving. */
export interface Redeploy {
  target: Artifact;
  why: string;
  trigger: RedeployTrigger;
}

export interface KeeperDeps {
  readonly settings: Pick<Settings, 'crashWindowMs' | 'rerun' | 'rerunDelayMs'>;
  readonly clock: Clock;
  parseCrash(output: string): Diagnostic | undefined;
  /** True while the channel to a remote target is broken: an exit then is the channel's doing, not a crash. */
  targetLost(): boolean;
  /** What the keeper made of an exit, to be said. */
  judged(verdict: ExitVerdict): void;
  /** Starts a known artifact again with nothing serving. */
  redeploy(redeploy: Redeploy): void;
}

/**
 * Keeps the program alive: a version that survives the crash window becomes the last good one; a
 * version that dies within it is replaced by the last good one (or retried with backoff, then
 * given up on until the next change); one that exits later is rerun when `rerun` says so.
 */
export class ProgramKeeper {
  private current: KeeperState = { kind: 'idle' };
  private lastGood: Artifact | undefined;
  private crashCount = 0;
  /** The version that served when the target was lost: what to start again when it is back. */
  private interrupted: Artifact | undefined;
  private goodTimer: Timer | undefined;
  private disposed = false;

  constructor(private readonly deps: KeeperDeps) {}

  get state(): KeeperState {
    return this.current;
  }

  get program(): Program | undefined {
    return this.current.kind === 'serving' ? this.current.program : undefined;
  }

  /** The version serving (or being replaced). */
  get artifact(): Artifact | undefined {
    return this.current.kind === 'serving' || this.current.kind === 'replacing' ? this.current.artifact : undefined;
  }

  /** The versions whose artifacts must stay on disk. */
  get kept(): Artifact[] {
    return [this.artifact, this.lastGood].filter((a): a is Artifact => a !== undefined);
  }

  /** A change arrived: a scheduled retry is dropped and crash counting starts over. */
  reset(): void {
    if (this.current.kind === 'waiting') {
      this.deps.clock.clearTimeout(this.current.timer);
      this.current = { kind: 'idle' };
    }
    this.crashCount = 0;
  }

  /** A deploy begins: the serving program gives way on purpose. Returns it. */
  release(): Program | undefined {
    const leaving = this.program;
    this.current = { kind: 'replacing', artifact: this.artifact, leaving };
    return leaving;
  }

  /** The deploy did not serve: what served before keeps serving if it is alive. */
  restore(): void {
    if (this.current.kind !== 'replacing') return;
    const { leaving, artifact } = this.current;
    this.current = leaving?.running && artifact ? { kind: 'serving', program: leaving, artifact } : { kind: 'replacing', artifact, leaving: undefined };
  }

  /** `program` now serves `artifact`; it is watched through the crash window. */
  serve(program: Program, artifact: Artifact): void {
    const { clock, settings } = this.deps;
    // A version replaced on purpose while it served did not crash: it is good to roll back to,
    // however short it ran (a quick fix, then a version that panics, goes back to the fix).
    if (this.current.kind === 'replacing' && this.current.leaving && this.current.artifact && this.current.artifact !== artifact)
      this.lastGood = this.current.artifact;
    this.current = { kind: 'serving', program, artifact };
    clock.clearTimeout(this.goodTimer);
    const check = () => {
      if (this.program !== program || !program.running) return;
      // Paused in a debugger, it has not run yet: the window goes on.
      const left = settings.crashWindowMs - runningMs(program, clock.now());
      if (left > 0) {
        this.goodTimer = clock.setTimeout(check, left);
        return;
      }
      this.lastGood = artifact;
      this.crashCount = 0;
    };
    this.goodTimer = clock.setTimeout(check, settings.crashWindowMs);
    // A version that died before it was handed over (restart waits for a version to serve) is
    // judged once its deploy's own report is said, as one that dies a moment later would be: that
    // report comes from the same turn, so the crash, the rollback and its summary follow it.
    const diedBeforeServe = !program.running;
    void program.exited.then((exit) => {
      const judge = () => {
        if (this.program === program && !this.disposed) this.onExit(program, artifact, exit);
      };
      if (diedBeforeServe) setImmediate(judge);
      else judge();
    });
  }

  /** The serving program was updated in place and now is `artifact`. */
  updated(artifact: Artifact): void {
    if (this.current.kind === 'serving') this.current = { ...this.current, artifact };
  }

  /** Takes the serving program out (to stop it); nothing serves after. */
  take(): Program | undefined {
    const program = this.program;
    this.current = { kind: 'idle' };
    return program;
  }

  dispose(): void {
    this.disposed = true;
    this.deps.clock.clearTimeout(this.goodTimer);
    if (this.current.kind === 'waiting') this.deps.clock.clearTimeout(this.current.timer);
  }

  /** Takes the version to start again once a lost target is back. */
  takeInterrupted(): Artifact | undefined {
    const artifact = this.interrupted;
    this.interrupted = undefined;
    return artifact;
  }

  private onExit(program: Program, artifact: Artifact, exit: ProgramExit): void {
    const { settings, clock } = this.deps;
    this.current = { kind: 'idle' };
    if (this.deps.targetLost()) {
      this.interrupted = artifact;
      return;
    }
    const verdict = judgeExit({
      artifact,
      exit,
      livedMs: runningMs(program, clock.now()),
      crashWindowMs: settings.crashWindowMs,
      lastGood: this.lastGood,
      crashCount: this.crashCount,
      diagnostic: this.deps.parseCrash(program.outputTail()),
      rerun: settings.rerun,
    });
    this.deps.judged(verdict);
    if (verdict.kind === 'exited') {
      if (verdict.rerun) this.wait({ target: artifact, why: 'rerun after exit', trigger: 'rerun' }, settings.rerunDelayMs);
      return;
    }
    this.crashCount = verdict.attempts;
    const { next } = verdict;
    if (next.kind === 'give-up') return;
    const again = next.kind === 'retry' || !next.rollback;
    const target = again ? artifact : this.lastGood!;
    this.wait({ target, why: again ? `${verdict.why}; attempt ${verdict.attempts + 1}` : verdict.why, trigger: again ? 'retry' : 'rollback' }, next.delayMs);
  }

  private wait(redeploy: Redeploy, delayMs: number): void {
    const timer = this.deps.clock.setTimeout(() => {
      if (this.current.kind !== 'waiting' || this.current.timer !== timer) return;
      this.current = { kind: 'idle' };
      this.deps.redeploy(redeploy);
    }, delayMs);
    this.current = { kind: 'waiting', ...redeploy, timer };
  }
}
