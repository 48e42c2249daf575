import type { Diagnostic } from '../kernel/diagnostic';
import { Emitter } from '../kernel/emitter';
import type { BuildProgress, ChangedFile, EngineEvent, PhaseTimings, ReloadOutcome, ReloadReport, ReloadTrigger, SessionState } from '../kernel/events';
import type { Strategy } from '../settings/types';
import { CrashNotice, type CrashOnStart } from './crashNotice';

/** What the state and report events say about what serves now. */
export interface ServingView {
  version: number | undefined;
  pid: number | undefined;
  strategy: Strategy;
  /** Where the program runs, when not on this machine ("web-1"). */
  target?: string;
  /** Where a browser opens the program. */
  url: string | undefined;
}

/**
 * A session's voice: the typed event stream front ends render, and the state it last told them
 * (state, the current diagnostics, the last reload's report).
 */
export class SessionReporter {
  readonly events = new Emitter<EngineEvent>();
  private current: SessionState = 'idle';
  private diagnostics: Diagnostic[] = [];
  private last: ReloadReport | undefined;
  private readonly crashNotice = new CrashNotice(this.events);

  constructor(private readonly view: () => ServingView) {}

  get state(): SessionState {
    return this.current;
  }

  setState(state: SessionState, detail: string | undefined, headline?: string): void {
    this.current = state;
    const { version, pid, strategy, target, url } = this.view();
    this.events.fire({
      type: 'state',
      state,
      version,
      pid,
      strategy,
      ...(target ? { target } : {}),
      url,
      detail,
      ...(headline ? { headline } : {}),
      errorCount: this.diagnostics.filter((d) => d.severity === 'error').length,
      lastReloadAt: this.last?.finishedAt,
      lastOutcome: this.last?.outcome,
      lastReloadMs: this.last?.phases.totalMs,
    });
  }

  /** Replaces the current diagnostics (an empty list clears them; nothing is sent when nothing changes). */
  setDiagnostics(diagnostics: Diagnostic[]): void {
    if (diagnostics.length === 0 && this.diagnostics.length === 0) return;
    this.diagnostics = diagnostics;
    this.events.fire({ type: 'diagnostics', diagnostics });
  }

  report(
    trigger: ReloadTrigger,
    changedFiles: ChangedFile[],
    phases: Omit<PhaseTimings, 'totalMs'>,
    outcome: ReloadOutcome,
    message?: string,
    version = this.view().version ?? 0,
    details: Pick<ReloadReport, 'builtBeforeSave' | 'unchangedSources'> = {},
  ): void {
    const { pid, strategy } = this.view();
    const totalMs = phases.detectMs + phases.buildMs + phases.stopMs + phases.startMs;
    this.last = { version, trigger, changedFiles, phases: { ...phases, totalMs }, outcome, strategy, pid, message, finishedAt: Date.now(), ...details };
    this.events.fire({ type: 'reload', report: this.last });
  }

  /** A version crashed on start and the last good one is being started: the crash is summed up below its start-up output. */
  crashedOnStart(crash: CrashOnStart): void {
    this.crashNotice.expect(crash);
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.events.fire({ type: 'log', level, message });
  }

  progress(progress: BuildProgress): void {
    this.events.fire({ type: 'progress', progress });
  }

  output(stream: 'stdout' | 'stderr', data: string, version: number): void {
    this.events.fire({ type: 'output', stream, data, version });
  }

  dispose(): void {
    this.crashNotice.dispose();
    this.events.dispose();
  }
}
