import * as os from 'node:os';
import type { ProgramExit } from '../kernel/exits';
import type { DebuggerClock, ProgramProcess, StopResult, SupervisedProgram } from '../processes/program';
import type { SupervisedProcess } from '../processes/supervisor/supervisedProcess';
import { readProcStat } from '../processes/processTree';
import type { AdapterSession } from './adapterSession';

/** How long the adapter may take to go once its program is gone (it exits when its session ends). */
const ADAPTER_GRACE_MS = 1000;

/**
 * One version run under a debug adapter: the supervisor runs the adapter (Delve), which runs the
 * program as its child; both are in the version's reaper tree. The session sees the program: its
 * pid and exit are the debugged process's, its output and input pass through the adapter.
 */
export class DebuggedProgram implements SupervisedProgram {
  readonly startedAt = Date.now();
  readonly exited: Promise<ProgramExit>;
  private exitCode: number | undefined;
  private stopping: Promise<StopResult> | undefined;

  constructor(
    private readonly adapter: ProgramProcess,
    private readonly session: AdapterSession,
    readonly pid: number,
    /** Lets the debugger go of the program before it is stopped: no breakpoint may hold its shutdown. */
    private readonly release: () => Promise<void>,
  ) {
    session.onEvent((event) => {
      if (event.event === 'exited' && typeof event.body?.exitCode === 'number') this.exitCode = event.body.exitCode;
      // The program is gone: so is this adapter's reason to be (Delve exits when its session ends).
      if (event.event === 'terminated') session.close();
    });
    this.exited = adapter.exited.then((exit) => this.debuggeeExit() ?? exit);
  }

  /** The adapter's supervised process: the program inherits its notify and control channels. */
  get process(): SupervisedProcess {
    return this.adapter.process;
  }

  get version(): number {
    return this.adapter.version;
  }

  get debugger(): DebuggerClock {
    return this.session;
  }

  get running(): boolean {
    return this.adapter.running;
  }

  get exit(): ProgramExit | undefined {
    const exit = this.adapter.exit;
    return exit && (this.debuggeeExit() ?? exit);
  }

  /** The program's own exit as the adapter reported it (Delve gives a signal as its negative number). */
  private debuggeeExit(): ProgramExit | undefined {
    if (this.exitCode === undefined) return undefined;
    if (this.exitCode >= 0) return { code: this.exitCode, signal: null };
    const signal = Object.entries(os.constants.signals).find(([, n]) => n === -this.exitCode!)?.[0] as NodeJS.Signals | undefined;
    return { code: null, signal: signal ?? null };
  }

  onOutput(listener: (stream: 'stdout' | 'stderr', data: string) => void): void {
    this.adapter.onOutput(listener);
  }

  outputTail(): string {
    return this.adapter.outputTail();
  }

  writeInput(data: string | Buffer): boolean {
    return this.adapter.writeInput(data);
  }

  setOutputPaused(paused: boolean): void {
    this.adapter.setOutputPaused(paused);
  }

  /**
   * The debugger lets go (breakpoints cleared, a paused program resumed), the program gets the
   * stop signal as it would without a debugger and has the grace period; then the adapter goes,
   * and the supervisor kills whatever is left of the tree.
   */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<StopResult> {
    this.stopping ??= this.stopTree(signal, graceMs);
    return this.stopping;
  }

  private async stopTree(signal: NodeJS.Signals, graceMs: number): Promise<StopResult> {
    const started = Date.now();
    if (!this.running) return { killed: false, elapsedMs: 0 };
    if (this.session.open) await this.release();
    if (this.isOurDebuggee()) {
      try {
        process.kill(this.pid, signal);
      } catch {
        // gone already
      }
      let timer: NodeJS.Timeout | undefined;
      const ended = new Promise<void>((resolve) => this.session.onClose(resolve));
      await Promise.race([ended, this.exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    const left = Math.max(0, graceMs - (Date.now() - started));
    const result = await this.adapter.stop('SIGTERM', Math.min(ADAPTER_GRACE_MS, left));
    return { killed: result.killed || Date.now() - started >= graceMs, elapsedMs: Date.now() - started };
  }

  /** The pid names a live child of this version's adapter (never another process that took the pid). */
  private isOurDebuggee(): boolean {
    const stat = readProcStat(this.pid);
    return stat !== undefined && stat.ppid === this.adapter.pid && stat.state !== 'Z';
  }
}
