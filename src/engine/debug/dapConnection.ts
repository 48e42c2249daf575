import type { Socket } from 'node:net';
import { Emitter } from '../kernel/emitter';

/** One Debug Adapter Protocol message: a request, a response or an event. */
export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  arguments?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

/** The largest message taken (a big variables response is a few megabytes): anything larger is not DAP. */
const MAX_MESSAGE = 32 * 1024 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * DAP's framing over a stream: `Content-Length: N\r\n\r\n` then N bytes of JSON. Bad framing ends
 * the connection (said through `onClose`'s reason) rather than guessing where the next message is.
 */
export class DapConnection {
  private buffer = Buffer.alloc(0);
  private readonly messages = new Emitter<DapMessage>();
  private readonly closed = new Emitter<string | undefined>();
  private ended = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.take(chunk));
    socket.on('error', (err) => this.end(err.message));
    socket.on('close', () => this.end(undefined));
  }

  get open(): boolean {
    return !this.ended;
  }

  onMessage(listener: (message: DapMessage) => void): void {
    this.messages.on(listener);
  }

  /** Called once, with why when it was not a plain close. */
  onClose(listener: (reason: string | undefined) => void): void {
    this.closed.on(listener);
  }

  send(message: DapMessage): void {
    if (this.ended) return;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  close(): void {
    this.socket.end();
    this.end(undefined);
  }

  private take(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) {
        if (this.buffer.length > 1024) this.fail('a DAP header longer than 1 KB');
        return;
      }
      const length = Number(/(?:^|\r\n)Content-Length:\s*(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (!Number.isInteger(length) || length > MAX_MESSAGE) return this.fail('a DAP header without a valid Content-Length');
      const start = headerEnd + HEADER_END.length;
      if (this.buffer.length < start + length) return;
      const text = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      let message: DapMessage;
      try {
        message = JSON.parse(text) as DapMessage;
      } catch {
        return this.fail('a DAP message that is not JSON');
      }
      if (this.ended) return;
      this.messages.fire(message);
    }
  }

  private fail(reason: string): void {
    this.socket.destroy();
    this.end(reason);
  }

  private end(reason: string | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.buffer = Buffer.alloc(0);
    this.closed.fire(reason);
    this.messages.dispose();
    this.closed.dispose();
  }
}
