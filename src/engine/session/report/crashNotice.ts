import { realClock, type Clock, type Timer } from '../../kernel/clock';
import type { Diagnostic } from '../../kernel/diagnostic';
import type { Disposable } from '../../kernel/disposable';
import type { Emitter } from '../../kernel/emitter';
import type { CrashSummaryEvent, EngineEvent } from '../../kernel/events';

/** How long the version serving again prints nothing, once it has printed, before the summary is said. */
const CRASH_SUMMARY_QUIET_MS = 400;
/** The summary is said by then at the latest, for a program that prints nothing or never stops. */
export const CRASH_SUMMARY_MAX_WAIT_MS = 5000;

/** A version that crashed on start, and the last good one started in its place. */
export interface CrashOnStart {
  crashed: number;
  serving: number;
  /** "exited with status 2", "was killed by SIGSEGV". */
  how: string;
  /** The crash parsed from its output (a panic, an uncaught exception), when it had a trace. */
  diagnostic: Diagnostic | undefined;
}

/**
 * The crash summary after a rollback. When a version crashes on start, the last good version is
 * started again, and its start-up output (a framework's banner of routes, say) pushes the crash
 * out of view. This waits for the rollback's report, then for that version's first output (a
 * slow start on a busy machine prints nothing for a while), then for its output to go quiet, and
 * only then says the crash in one line (a `crash-summary` event), so it stays below the banner.
 * A new reload says it at once: it is still true, and that reload's output follows.
 */
export class CrashNotice implements Disposable {
  /** Said after the rollback of `serving` is reported. */
  private expected: CrashSummaryEvent | undefined;
  /** `quiet` runs from the serving version's first output on. */
  private waiting: { event: CrashSummaryEvent; quiet: Timer | undefined; deadline: Timer } | undefined;
  private readonly subscription: Disposable;
  private readonly clock: Clock;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly events: Emitter<EngineEvent>,
    options: { clock?: Clock; quietMs?: number; maxWaitMs?: number } = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.quietMs = options.quietMs ?? CRASH_SUMMARY_QUIET_MS;
    this.maxWaitMs = options.maxWaitMs ?? CRASH_SUMMARY_MAX_WAIT_MS;
    this.subscription = events.on((event) => this.onEvent(event));
  }

  /** A version crashed on start and `serving` is being started in its place. */
  expect(crash: CrashOnStart): void {
    this.cancel();
    const d = crash.diagnostic;
    this.expected = {
      type: 'crash-summary',
      crashed: crash.crashed,
      serving: crash.serving,
      how: crash.how,
      ...(d ? { message: d.message.split('\n')[0] } : {}),
      ...(d && d.line > 0 ? { location: { file: d.file, line: d.line, column: d.column } } : {}),
    };
  }

  private onEvent(event: EngineEvent): void {
    if (event.type === 'reload' && this.expected) {
      const { report } = event;
      const expected = this.expected;
      this.expected = undefined;
      // Anything else (the last good version failed to start too) has its own report to say it.
      if (report.trigger === 'rollback' && report.outcome === 'rolled-back' && report.version === expected.serving) this.wait(expected);
    } else if (event.type === 'output' && this.waiting && event.version === this.waiting.event.serving) {
      if (this.waiting.quiet) this.waiting.quiet.refresh();
      else this.waiting.quiet = this.timer(this.quietMs);
    } else if (event.type === 'state' && event.state === 'building' && this.waiting) {
      this.say();
    }
  }

  private wait(event: CrashSummaryEvent): void {
    this.waiting = { event, quiet: undefined, deadline: this.timer(this.maxWaitMs) };
  }

  private timer(ms: number): Timer {
    return this.clock.setTimeout(() => this.say(), ms).unref();
  }

  private say(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.cancel();
    this.events.fire(waiting.event);
  }

  private cancel(): void {
    if (this.waiting) {
      this.clock.clearTimeout(this.waiting.quiet);
      this.clock.clearTimeout(this.waiting.deadline);
    }
    this.waiting = undefined;
    this.expected = undefined;
  }

  dispose(): void {
    this.cancel();
    this.subscription.dispose();
  }
}
