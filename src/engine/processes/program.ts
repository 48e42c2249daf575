import type { ChildProcess } from 'node:child_process';
import type { Stream } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { ProgramExit } from '../kernel/exits';
import { spawnInGroup, stopGroup, type StopResult } from './processGroup';
import type { PidRegistry } from './pidRegistry';
import { groupMembers } from './processTree';

export type { ProgramExit } from '../kernel/exits';

/** What may stand at fd 3 and beyond: a pipe, an inherited fd number, a socket or server handle. */
export type ExtraStdio = 'pipe' | 'ignore' | 'inherit' | number | Stream | null | undefined;

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
}

export interface ProgramOptions {
  /** The executable: a versioned artifact. */
  executable: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: number;
  registry: PidRegistry;
  /** Extra file descriptors from fd 3 on (listening sockets, notify and control channels). */
  extraStdio?: ExtraStdio[];
}

const TAIL_LIMIT = 64 * 1024;

/**
 * One running version of the user's program, in its own process group. It
 * keeps the tail of its output so a crash can be explained.
 */
export class ProgramProcess implements Program {
  readonly pid: number;
  readonly version: number;
  readonly startedAt = Date.now();
  readonly exited: Promise<ProgramExit>;
  readonly child: ChildProcess;
  private exitInfo: ProgramExit | undefined;
  private tail = '';
  private outputListeners: ((stream: 'stdout' | 'stderr', data: string) => void)[] = [];

  private constructor(
    child: ChildProcess,
    pid: number,
    private readonly options: ProgramOptions,
  ) {
    this.child = child;
    this.pid = pid;
    this.version = options.version;
    options.registry.add(pid, options.executable);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    void this.exited.then(async () => {
      // The leader is gone; its children may not be. Only forget the group once it is empty.
      if (groupMembers(pid).length > 0) await stopGroup(pid, 'SIGKILL', 0);
      options.registry.remove(pid);
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[stream]?.on('data', (chunk: Buffer) => this.emitOutput(stream, decoder.write(chunk)));
      child[stream]?.on('end', () => this.emitOutput(stream, decoder.end()));
    }
    // Writing to a program that has exited must not crash the engine.
    child.stdin?.on('error', () => undefined);
  }

  /** Spawns the program; rejects with a clear error when it cannot be started at all. */
  static start(options: ProgramOptions): Promise<ProgramProcess> {
    return new Promise((resolve, reject) => {
      const child = spawnInGroup(options.executable, options.args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['pipe', 'pipe', 'pipe', ...(options.extraStdio ?? [])],
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        reject(new Error(`cannot start ${options.executable}: ${err.code === 'ENOENT' ? 'file not found' : err.message}`));
      });
      child.once('spawn', () => {
        if (child.pid === undefined) reject(new Error(`cannot start ${options.executable}`));
        else resolve(new ProgramProcess(child, child.pid, options));
      });
    });
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): ProgramExit | undefined {
    return this.exitInfo;
  }

  onOutput(listener: (stream: 'stdout' | 'stderr', data: string) => void): void {
    this.outputListeners.push(listener);
  }

  outputTail(): string {
    return this.tail;
  }

  writeInput(data: string | Buffer): boolean {
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed || !this.running) return false;
    stdin.write(data);
    return true;
  }

  /** Stops the whole group: signal, grace period, then SIGKILL. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<StopResult> {
    const result = await stopGroup(this.pid, signal, graceMs, this.exited);
    await this.exited;
    this.options.registry.remove(this.pid);
    return result;
  }

  private emitOutput(stream: 'stdout' | 'stderr', data: string): void {
    if (!data) return;
    this.tail = (this.tail + data).slice(-TAIL_LIMIT);
    for (const listener of this.outputListeners) listener(stream, data);
  }
}
