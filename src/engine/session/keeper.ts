import type { Artifact } from '../kernel/artifact';
import type { Diagnostic } from '../kernel/diagnostic';
import { describeExit, type ProgramExit } from '../kernel/exits';
import { runningMs, type Program } from '../processes/program';
import type { Settings } from '../settings/types';
import type { SessionReporter } from './reporter';

/** Backoff before starting again a version that keeps crashing on start. */
export const CRASH_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000];

/** What serves, and what the keeper is waiting for. */
export type KeeperState =
  /** Nothing runs: not started yet, stopped, or gave up after crashes. */
  | { kind: 'idle' }
  | { kind: 'serving'; program: Program; artifact: Artifact }
  /** A deploy is under way: `leaving` (if any) gives way on purpose, so its exit is no crash. */
  | { kind: 'replacing'; artifact: Artifact | undefined; leaving: Program | undefined }
  /** The version died; `target` starts again after `delayMs` (rollback, retry or rerun). */
  | { kind: 'waiting'; target: Artifact; why: string; trigger: RedeployTrigger; timer: NodeJS.Timeout };

export type RedeployTrigger = 'rollback' | 'retry' | 'rerun';

export interface KeeperHost {
  readonly settings: Pick<Settings, 'crashWindowMs' | 'rerun' | 'rerunDelayMs'>;
  readonly reporter: SessionReporter;
  parseCrash(output: string): Diagnostic | undefined;
  /** True while the channel to a remote target is broken: an exit then is the channel's doing, not a crash. */
  targetLost(): boolean;
  /** Starts a known artifact again with nothing serving. */
  redeploy(target: Artifact, why: string, trigger: RedeployTrigger): void;
}

/**
 * Keeps the program alive: a version that survives the crash window becomes the last good one; a
 * version that dies within it is replaced by the last good one (or retried with backoff, 1 to 16 s,
 * then given up on until the next change); one that exits later is rerun when `rerun` says so.
 */
export class ProgramKeeper {
  private current: KeeperState = { kind: 'idle' };
  private lastGood: Artifact | undefined;
  private crashCount = 0;
  /** The version that served when the target was lost: what to start again when it is back. */
  private interrupted: Artifact | undefined;
  private goodTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly host: KeeperHost) {}

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
      clearTimeout(this.current.timer);
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
    // A version replaced on purpose while it served did not crash: it is good to roll back to,
    // however short it ran (a quick fix, then a version that panics, goes back to the fix).
    if (this.current.kind === 'replacing' && this.current.leaving && this.current.artifact && this.current.artifact !== artifact)
      this.lastGood = this.current.artifact;
    this.current = { kind: 'serving', program, artifact };
    clearTimeout(this.goodTimer);
    const check = () => {
      if (this.program !== program || !program.running) return;
      // Paused in a debugger, it has not run yet: the window goes on.
      const left = this.host.settings.crashWindowMs - runningMs(program);
      if (left > 0) {
        this.goodTimer = setTimeout(check, left);
        return;
      }
      this.lastGood = artifact;
      this.crashCount = 0;
    };
    this.goodTimer = setTimeout(check, this.host.settings.crashWindowMs);
    void program.exited.then((exit) => {
      if (this.program === program && !this.disposed) this.onExit(program, artifact, exit);
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
    clearTimeout(this.goodTimer);
    if (this.current.kind === 'waiting') clearTimeout(this.current.timer);
  }

  /** Takes the version to start again once a lost target is back. */
  takeInterrupted(): Artifact | undefined {
    const artifact = this.interrupted;
    this.interrupted = undefined;
    return artifact;
  }

  private onExit(program: Program, artifact: Artifact, exit: ProgramExit): void {
    const { reporter, settings } = this.host;
    this.current = { kind: 'idle' };
    if (this.host.targetLost()) {
      this.interrupted = artifact;
      return;
    }
    const lived = runningMs(program);
    const how = describeExit(exit);
    const crash = this.host.parseCrash(program.outputTail());
    if (crash) reporter.setDiagnostics([crash]);
    const none = { detectMs: 0, buildMs: 0, stopMs: 0, startMs: 0 };

    if (lived < settings.crashWindowMs) {
      this.crashCount++;
      const why = `v${artifact.version} crashed on start (${how})${crash ? `: ${crash.message.split('\n')[0]}` : ''}`;
      reporter.log('error', why);
      const target = this.lastGood && this.lastGood.version !== artifact.version ? this.lastGood : artifact;
      const delay = target === artifact || this.crashCount > 1 ? CRASH_BACKOFF_MS[this.crashCount - 1] : 0;
      if (delay === undefined) {
        reporter.report('rollback', [], none, 'crashed', why, artifact.version);
        reporter.setState('crashed', `${why}; gave up after ${this.crashCount} attempts: save a change or restart to try again`);
        return;
      }
      if (target === artifact && !this.lastGood) {
        reporter.report('rollback', [], none, 'crashed', why, artifact.version);
        reporter.setState('crashed', `${why}; retrying in ${delay / 1000}s`);
      } else {
        if (target !== artifact) reporter.crashedOnStart({ crashed: artifact.version, serving: target.version, how, diagnostic: crash });
        reporter.setState('crashed', delay ? `${why}; starting v${target.version} in ${delay / 1000}s` : `${why}; starting v${target.version} again`);
      }
      this.wait(target, target === artifact ? `${why}; attempt ${this.crashCount + 1}` : why, target === artifact ? 'retry' : 'rollback', delay);
      return;
    }

    // It ran for a while, then exited by itself.
    const again = settings.rerun ? '' : '; save a change to run it again';
    if (exit.code === 0) {
      reporter.log('info', `v${artifact.version} exited (status 0)`);
      reporter.setState('idle', `v${artifact.version} exited with status 0${again}`);
    } else {
      reporter.log('error', `v${artifact.version} ${how}`);
      reporter.setState('crashed', `v${artifact.version} ${how}${again}`);
    }
    if (settings.rerun) this.wait(artifact, 'rerun after exit', 'rerun', settings.rerunDelayMs);
  }

  private wait(target: Artifact, why: string, trigger: RedeployTrigger, delayMs: number): void {
    const timer = setTimeout(() => {
      if (this.current.kind !== 'waiting' || this.current.timer !== timer) return;
      this.current = { kind: 'idle' };
      this.host.redeploy(target, why, trigger);
    }, delayMs);
    this.current = { kind: 'waiting', target, why, trigger, timer };
  }
}
