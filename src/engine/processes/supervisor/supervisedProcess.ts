import type { ProgramExit } from '../../kernel/exits';
import type { ProcessEvent, SupervisorRequest } from './protocol';

/** How a stop ended. */
export interface StopResult {
  /** True when the grace period ran out and what was left had to be killed. */
  killed: boolean;
  elapsedMs: number;
}

/** What the supervisor process needs from the channel for one process. */
export interface ProcessChannel {
  send(message: SupervisorRequest): void;
  input(id: number, data: Buffer): void;
}

/**
 * One process the supervisor runs for the engine (a program version, a build, a helper), with
 * everything it starts. Its exit is known only once all of them are gone and its output is all in.
 */
export class SupervisedProcess {
  readonly started: Promise<number>;
  readonly exited: Promise<ProgramExit & { error?: string }>;
  pid: number | undefined;
  exit: (ProgramExit & { error?: string }) | undefined;
  private resolveStarted!: (pid: number) => void;
  private rejectStarted!: (err: Error) => void;
  private resolveExited!: (exit: ProgramExit & { error?: string }) => void;
  private readonly outputListeners: ((stream: 'stdout' | 'stderr', data: Buffer) => void)[] = [];
  private readonly notifyListeners: ((line: string) => void)[] = [];
  private stopWaiters: ((result: StopResult) => void)[] = [];
  /** What arrived before anyone listened (in the same read as the start, typically): replayed to the first listener. */
  private earlyOutput: [stream: 'stdout' | 'stderr', data: Buffer][] | undefined = [];
  private earlyNotify: string[] | undefined = [];

  constructor(
    readonly id: number,
    private readonly channel: ProcessChannel,
  ) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    // A start failure is also reported through `started`; nobody needs to wait on both.
    this.started.catch(() => undefined);
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  onOutput(listener: (stream: 'stdout' | 'stderr', data: Buffer) => void): void {
    this.outputListeners.push(listener);
    const early = this.earlyOutput;
    this.earlyOutput = undefined;
    for (const [stream, data] of early ?? []) listener(stream, data);
  }

  onNotify(listener: (line: string) => void): void {
    this.notifyListeners.push(listener);
    const early = this.earlyNotify;
    this.earlyNotify = undefined;
    for (const line of early ?? []) listener(line);
  }

  /** Signals every process of it once, then kills what is left after `graceMs`; resolves once all are gone. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<StopResult> {
    if (!this.running) return { killed: false, elapsedMs: 0 };
    const stopped = new Promise<StopResult>((resolve) => this.stopWaiters.push(resolve));
    this.channel.send({ op: 'stop', id: this.id, signal, graceMs });
    const result = await Promise.race([stopped, this.exited.then(() => ({ killed: false, elapsedMs: 0 }))]);
    await this.exited;
    return result;
  }

  writeInput(data: Buffer | string): boolean {
    if (!this.running) return false;
    this.channel.input(this.id, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    return true;
  }

  closeInput(): void {
    if (this.running) this.channel.send({ op: 'closeInput', id: this.id });
  }

  /** One line on the program's control channel. */
  control(line: string): boolean {
    if (!this.running) return false;
    this.channel.send({ op: 'control', id: this.id, line });
    return true;
  }

  /** Stops (or restarts) reading its output: it blocks on a full pipe meanwhile. */
  setPaused(paused: boolean): void {
    if (this.running) this.channel.send({ op: paused ? 'pause' : 'resume', id: this.id });
  }

  /** Events from the supervisor, by the channel. */
  handle(message: ProcessEvent): void {
    switch (message.event) {
      case 'spawned':
        this.pid = message.pid;
        this.resolveStarted(message.pid);
        break;
      case 'spawnFailed':
        this.rejectStarted(new Error(message.error));
        this.finish({ code: null, signal: null, error: message.error });
        break;
      case 'notify': {
        const line = message.line ?? '';
        if (this.earlyNotify && this.earlyNotify.length < 1000) this.earlyNotify.push(line);
        for (const listener of this.notifyListeners) listener(line);
        break;
      }
      case 'stopped': {
        const result = { killed: message.killed === true, elapsedMs: message.elapsedMs ?? 0 };
        for (const resolve of this.stopWaiters.splice(0)) resolve(result);
        break;
      }
      case 'exited':
        this.finish({
          code: message.code ?? null,
          // A name from the supervisor's signal table ("SIGTERM").
          signal: (message.signal as NodeJS.Signals | undefined) ?? null,
          ...(message.error !== undefined ? { error: message.error } : {}),
        });
        break;
    }
  }

  output(stream: 'stdout' | 'stderr', data: Buffer): void {
    if (this.earlyOutput && this.earlyOutput.length < 1000) this.earlyOutput.push([stream, data]);
    for (const listener of this.outputListeners) listener(stream, data);
  }

  /** The supervisor is gone: so is everything it ran. */
  finish(exit: ProgramExit & { error?: string }): void {
    if (this.exit) return;
    this.exit = exit;
    this.rejectStarted(new Error(exit.error ?? 'the process ended before it started'));
    for (const resolve of this.stopWaiters.splice(0)) resolve({ killed: false, elapsedMs: 0 });
    this.resolveExited(exit);
  }
}
