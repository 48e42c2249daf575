import { StringDecoder } from 'node:string_decoder';
import type { ProgramExit } from '../kernel/exits';
import type { StopResult } from './supervisor/supervisedProcess';
import type { SpawnSpec, Supervisor } from './supervisor/supervisor';
import type { SupervisedProcess } from './supervisor/supervisedProcess';

export type { ProgramExit } from '../kernel/exits';
export type { StopResult } from './supervisor/supervisedProcess';

/**
 * A program that runs under a debugger: the time it spends stopped there (at a breakpoint, on a
 * panic) counts neither toward its crash window nor toward its ready timeout.
 */
export interface DebuggerClock {
  readonly paused: boolean;
  /** Milliseconds spent paused so far, the current pause included. */
  pausedMs(): number;
}

/** One running version of the user's program, as the session sees it. */
export interface Program {
  readonly pid: number;
  readonly version: number;
  /** When it was started (ms since epoch). */
  readonly startedAt: number;
  readonly exited: Promise<ProgramExit>;
  readonly running: boolean;
  readonly exit: ProgramExit | undefined;
  onOutput(listener: (stream: 'stdout' | 'stderr', data: string) => void): void;
  /** The last 64 KB of its output, to explain a crash. */
  outputTail(): string;
  /** Sends to its stdin; false when it cannot take input any more. */
  writeInput(data: string | Buffer): boolean;
  /** Stops it and everything it started: signal, grace period, then SIGKILL. */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<StopResult>;
  /** Stops reading its output (it blocks when the pipe is full), or reads again. */
  setOutputPaused(paused: boolean): void;
  /** Set when it runs under a debugger. */
  readonly debugger?: DebuggerClock;
}

/** How long a program has run since it started (until `now`), the time it spent paused in a debugger left out. */
export function runningMs(program: Pick<Program, 'startedAt' | 'debugger'>, now = Date.now()): number {
  return now - program.startedAt - (program.debugger?.pausedMs() ?? 0);
}

/** A program the supervisor runs, with its protocol channels (notify, control) there. */
export interface SupervisedProgram extends Program {
  readonly process: SupervisedProcess;
}

export interface ProgramOptions extends Omit<SpawnSpec, 'path'> {
  /** The executable: a versioned artifact. */
  executable: string;
  version: number;
  supervisor: Supervisor;
}

const TAIL_LIMIT = 64 * 1024;

/**
 * One version of the user's program, run by the supervisor: the supervisor is the parent of it and
 * of everything it starts, so a stop reaches all of them. It keeps the tail of its output so a
 * crash can be explained, and carries its notify and control channels when it has them.
 */
export class ProgramProcess implements SupervisedProgram {
  readonly pid: number;
  readonly version: number;
  readonly startedAt = Date.now();
  readonly exited: Promise<ProgramExit>;
  private tail = '';
  private readonly outputListeners: ((stream: 'stdout' | 'stderr', data: string) => void)[] = [];
  /** What it printed before anyone listened (it may print and exit before its launcher subscribes), up to TAIL_LIMIT. */
  private early: { chunks: [stream: 'stdout' | 'stderr', data: string][]; bytes: number } | undefined = { chunks: [], bytes: 0 };

  private constructor(
    readonly process: SupervisedProcess,
    pid: number,
    version: number,
  ) {
    this.pid = pid;
    this.version = version;
    this.exited = process.exited.then(({ code, signal }) => ({ code, signal }));
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    process.onOutput((stream, data) => this.emitOutput(stream, decoders[stream].write(data)));
  }

  /** Starts the program; rejects with a clear error when it cannot be started at all. */
  static async start(options: ProgramOptions): Promise<ProgramProcess> {
    const { executable, version, supervisor, ...spec } = options;
    const process = supervisor.spawn({ ...spec, path: executable });
    let pid: number;
    try {
      pid = await process.started;
    } catch (err) {
      throw new Error((err as Error).message.startsWith('cannot start') ? (err as Error).message : `cannot start ${executable}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return new ProgramProcess(process, pid, version);
  }

  get running(): boolean {
    return this.process.running;
  }

  get exit(): ProgramExit | undefined {
    const exit = this.process.exit;
    return exit && { code: exit.code, signal: exit.signal };
  }

  onOutput(listener: (stream: 'stdout' | 'stderr', data: string) => void): void {
    this.outputListeners.push(listener);
    const early = this.early;
    this.early = undefined;
    for (const [stream, data] of early?.chunks ?? []) listener(stream, data);
  }

  outputTail(): string {
    return this.tail;
  }

  writeInput(data: string | Buffer): boolean {
    return this.process.writeInput(data);
  }

  stop(signal: NodeJS.Signals, graceMs: number): Promise<StopResult> {
    return this.process.stop(signal, graceMs);
  }

  setOutputPaused(paused: boolean): void {
    this.process.setPaused(paused);
  }

  private emitOutput(stream: 'stdout' | 'stderr', data: string): void {
    if (!data) return;
    this.tail = (this.tail + data).slice(-TAIL_LIMIT);
    if (this.early && this.early.bytes < TAIL_LIMIT) {
      this.early.chunks.push([stream, data]);
      this.early.bytes += data.length;
    }
    for (const listener of this.outputListeners) listener(stream, data);
  }
}
