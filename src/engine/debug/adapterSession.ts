import type { DebuggerClock } from '../processes/program';
import { Emitter } from '../kernel/emitter';
import type { DapConnection, DapMessage } from './dapConnection';

/** Requests after whose success the program runs again. */
const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'configurationDone']);

/** How the engine starts one version under the adapter: its initialize and launch, then what to set before it runs. */
export interface AdapterStart {
  initialize: Record<string, unknown>;
  launch: Record<string, unknown>;
  /** Breakpoints and the like, sent between `initialized` and `configurationDone`. */
  configure(session: AdapterSession): Promise<void>;
  timeoutMs: number;
}

/**
 * The engine's DAP conversation with one debug adapter, which debugs one version: requests with
 * their responses, the adapter's events, and whether the program is paused (and for how long).
 */
export class AdapterSession implements DebuggerClock {
  capabilities: Record<string, unknown> = {};
  /** The debugged process's pid, from the adapter's `process` event. */
  debuggeePid: number | undefined;
  private seq = 1;
  private readonly pending = new Map<number, { command: string; resolve: (response: DapMessage) => void }>();
  private readonly events = new Emitter<DapMessage>();
  private pausedSince: number | undefined;
  private pausedTotal = 0;

  constructor(private readonly connection: DapConnection) {
    connection.onMessage((message) => this.take(message));
    connection.onClose(() => {
      this.resume();
      for (const { command, resolve } of this.pending.values()) resolve(failure(command, 'the debug adapter closed the connection'));
      this.pending.clear();
    });
  }

  /** initialize, launch (the program starts, held before its first instruction), configure, configurationDone. */
  static async start(connection: DapConnection, start: AdapterStart): Promise<AdapterSession> {
    const session = new AdapterSession(connection);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the debug adapter did not start the program within ${start.timeoutMs / 1000} s`)), start.timeoutMs);
    });
    try {
      await Promise.race([session.handshake(start), timeout]);
    } catch (err) {
      connection.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return session;
  }

  get open(): boolean {
    return this.connection.open;
  }

  get paused(): boolean {
    return this.pausedSince !== undefined;
  }

  pausedMs(): number {
    return this.pausedTotal + (this.pausedSince === undefined ? 0 : Date.now() - this.pausedSince);
  }

  onEvent(listener: (event: DapMessage) => void): void {
    this.events.on(listener);
  }

  onClose(listener: () => void): void {
    this.connection.onClose(() => listener());
  }

  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    if (!this.connection.open) return Promise.resolve(failure(command, 'the debug adapter is gone'));
    const seq = this.seq++;
    const response = new Promise<DapMessage>((resolve) => this.pending.set(seq, { command, resolve }));
    this.connection.send({ seq, type: 'request', command, arguments: args });
    return response;
  }

  close(): void {
    this.connection.close();
  }

  private async handshake(start: AdapterStart): Promise<void> {
    const initialized = new Promise<void>((resolve) => this.events.on((e) => e.event === 'initialized' && resolve()));
    const init = await this.request('initialize', start.initialize);
    if (!init.success) throw new Error(`the debug adapter refused to initialize: ${describeFailure(init)}`);
    this.capabilities = init.body ?? {};
    const launched = this.request('launch', start.launch);
    // Delve answers the launch once the program is loaded; `initialized` may come first.
    const first = await Promise.race([launched, initialized.then(() => undefined)]);
    const launch = first ?? (await launched);
    if (!launch.success) throw new Error(describeFailure(launch));
    await initialized;
    await start.configure(this);
    const done = await this.request('configurationDone');
    if (!done.success) throw new Error(`the debug adapter did not start the program: ${describeFailure(done)}`);
  }

  private take(message: DapMessage): void {
    if (message.type === 'response') {
      const pending = this.pending.get(message.request_seq ?? -1);
      if (!pending) return;
      this.pending.delete(message.request_seq!);
      if (message.success && RESUMING.has(pending.command)) this.resume();
      pending.resolve(message);
      return;
    }
    if (message.type !== 'event') return; // reverse requests: none is asked for (no runInTerminal)
    if (message.event === 'process' && typeof message.body?.systemProcessId === 'number') this.debuggeePid = message.body.systemProcessId;
    if (message.event === 'stopped') this.pausedSince ??= Date.now();
    if (message.event === 'continued' || message.event === 'exited' || message.event === 'terminated') this.resume();
    this.events.fire(message);
  }

  private resume(): void {
    if (this.pausedSince !== undefined) this.pausedTotal += Date.now() - this.pausedSince;
    this.pausedSince = undefined;
  }
}

function failure(command: string, message: string): DapMessage {
  return { seq: 0, type: 'response', command, success: false, message };
}

/** A failed response in a sentence: Delve puts the reason in body.error.format. */
export function describeFailure(response: DapMessage): string {
  const error = response.body?.error as { format?: string } | undefined;
  return error?.format ?? response.message ?? `${response.command ?? 'request'} failed`;
}
