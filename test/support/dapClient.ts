/**
 * A debugger client as nvim-dap or GoLand would be one: DAP over TCP to the engine's debug
 * address, for the tests and the benchmark. It keeps every event, so a test can wait for one.
 */
import * as net from 'node:net';
import { eventually } from './waiting';

export interface DapMessage {
  seq: number;
  type: string;
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class DapClient {
  readonly events: DapMessage[] = [];
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly pending = new Map<number, (m: DapMessage) => void>();
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.take(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  /** Connects to "host:port". */
  static async connect(address: string): Promise<DapClient> {
    const colon = address.lastIndexOf(':');
    const socket = net.connect(Number(address.slice(colon + 1)), address.slice(0, colon).replace(/^\[|\]$/g, '') || '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new DapClient(socket);
  }

  /** initialize, launch (or attach), the breakpoints, configurationDone: what an editor does to start debugging. */
  async start(breakpoints: Record<string, number[]> = {}, request: 'launch' | 'attach' = 'launch'): Promise<DapMessage> {
    const init = await this.request('initialize', { adapterID: 'hotreload', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await this.request(request, {});
    await this.nextEvent('initialized');
    for (const [file, lines] of Object.entries(breakpoints)) await this.setBreakpoints(file, lines);
    await this.request('configurationDone');
    return init;
  }

  setBreakpoints(file: string, lines: number[]): Promise<DapMessage> {
    return this.request('setBreakpoints', { source: { path: file }, breakpoints: lines.map((line) => ({ line })) });
  }

  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = this.seq++;
    const body = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }));
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    return new Promise((resolve) => this.pending.set(seq, resolve));
  }

  /** The first event named `name` after the `after`-th one (0: any so far), waiting for it. */
  async event(name: string, match: (e: DapMessage) => boolean = () => true, timeoutMs = 30_000): Promise<DapMessage> {
    return eventually(
      () => `a DAP "${name}" event (had: ${this.events.map((e) => e.event).join(', ')})`,
      () => this.events.find((e) => e.event === name && match(e)),
      { timeoutMs, intervalMs: 10 },
    );
  }

  /** The next `name` event from now on. */
  async nextEvent(name: string, match: (e: DapMessage) => boolean = () => true, timeoutMs = 30_000): Promise<DapMessage> {
    const from = this.events.length;
    return eventually(
      () => `a new DAP "${name}" event (had: ${this.events.map((e) => e.event).join(', ')})`,
      () => this.events.slice(from).find((e) => e.event === name && match(e)),
      { timeoutMs, intervalMs: 10 },
    );
  }

  /** Console output so far (the relay's "debugging v2" lines). */
  consoleText(): string {
    return this.events
      .filter((e) => e.event === 'output')
      .map((e) => String(e.body?.output))
      .join('');
  }

  /** The top frame of a stopped thread: its file, line and function name. */
  async topFrame(threadId: number): Promise<{ path: string; line: number; name: string }> {
    const trace = await this.request('stackTrace', { threadId, startFrame: 0, levels: 1 });
    const frame = trace.body?.stackFrames?.[0];
    return { path: frame?.source?.path, line: frame?.line, name: frame?.name };
  }

  close(): void {
    this.socket.destroy();
  }

  private take(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length:\s*(\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as DapMessage;
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message.type === 'response') {
        this.pending.get(message.request_seq!)?.(message);
        this.pending.delete(message.request_seq!);
      } else if (message.type === 'event') this.events.push(message);
    }
  }
}
