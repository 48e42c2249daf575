/**
 * report/: what the session tells front ends. Every outcome (a reload's result, the keeper's
 * verdict on an exit) becomes its diagnostics, log lines, report and state in one function
 * (announcement.ts); the reporter sends them as typed events and remembers the last of each.
 * Beside it: the crash summary said after a rollback's start-up output (crashNotice.ts), the line
 * of a report in the terminal and the log (reportText.ts), where a setup mistake is shown
 * (problemSite.ts), and the pace of a program's output for a slow reader (outputFlow.ts).
 */
import type { Clock } from '../../kernel/clock';
import type { Diagnostic } from '../../kernel/diagnostic';
import { Emitter } from '../../kernel/emitter';
import type { BuildProgress, EngineEvent, ReloadReport, SessionState, StateEvent } from '../../kernel/events';
import type { Strategy } from '../../settings/types';
import { announcementOf, type Announcement, type Outcome, type ReportFacts } from './announcement';
import { CrashNotice } from './crashNotice';

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
  private lastState: StateEvent | undefined;
  private readonly crashNotice: CrashNotice;
  /** What serves, read as each event goes out (the serving parts are made after the reporter). */
  private view: () => ServingView = () => ({ version: undefined, pid: undefined, strategy: 'restart', url: undefined });

  constructor(private readonly clock: Clock) {
    this.crashNotice = new CrashNotice(this.events, { clock });
  }

  get state(): SessionState {
    return this.current;
  }

  /** The last state event sent (its detail says why), the last reload's report, the diagnostics shown now. */
  get stateEvent(): StateEvent | undefined {
    return this.lastState;
  }

  get lastReport(): ReloadReport | undefined {
    return this.last;
  }

  get currentDiagnostics(): readonly Diagnostic[] {
    return this.diagnostics;
  }

  /** Where state and report events read what serves. */
  viewFrom(view: () => ServingView): void {
    this.view = view;
  }

  /** Says how something ended: its diagnostics, log lines, report and state, in that order. */
  tell(outcome: Outcome): void {
    this.announce(announcementOf(outcome));
  }

  setState(state: SessionState, detail: string | undefined, headline?: string): void {
    this.current = state;
    const { version, pid, strategy, target, url } = this.view();
    this.lastState = {
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
    };
    this.events.fire(this.lastState);
  }

  /** Replaces the current diagnostics (an empty list clears them; nothing is sent when nothing changes). */
  setDiagnostics(diagnostics: Diagnostic[]): void {
    if (diagnostics.length === 0 && this.diagnostics.length === 0) return;
    this.diagnostics = diagnostics;
    this.events.fire({ type: 'diagnostics', diagnostics });
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

  private announce(said: Announcement): void {
    if (said.diagnostics) this.setDiagnostics(said.diagnostics);
    for (const { level, message } of said.logs) this.log(level, message);
    if (said.report) this.report(said.report);
    if (said.crashOnStart) this.crashNotice.expect(said.crashOnStart);
    this.setState(said.state.state, said.state.detail, said.state.headline);
  }

  private report(facts: ReportFacts): void {
    const { version = this.view().version ?? 0, trigger, changedFiles, phases, outcome, message, ...details } = facts;
    const { pid, strategy } = this.view();
    const totalMs = phases.detectMs + phases.buildMs + phases.stopMs + phases.startMs;
    this.last = { version, trigger, changedFiles, phases: { ...phases, totalMs }, outcome, strategy, pid, message, finishedAt: this.clock.now(), ...details };
    this.events.fire({ type: 'reload', report: this.last });
  }
}
