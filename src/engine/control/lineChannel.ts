import type * as net from 'node:net';

/** A line longer than this ends the connection: no peer of ours sends one. */
const MAX_LINE_BYTES = 1024 * 1024;

/**
 * One JSON object per line over a socket, both ways: the control endpoint's framing. Lines are
 * split on "\n" as bytes arrive; a peer that sends a line over 1 MB is cut off.
 */
export class LineChannel {
  private buffered = '';
  private closed = false;

  constructor(
    readonly socket: net.Socket,
    onLine: (line: string) => void,
    onClose: () => void,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let end = this.buffered.indexOf('\n'); end >= 0; end = this.buffered.indexOf('\n')) {
        const line = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end + 1);
        if (line.trim()) onLine(line);
        if (this.closed) return;
      }
      if (Buffer.byteLength(this.buffered) > MAX_LINE_BYTES) this.close();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
      onClose();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(message: unknown): void {
    if (!this.closed && this.socket.writable) this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Ends the connection once what was sent is written. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end(() => this.socket.destroy());
  }
}
