import type { Disposable, OutputSink } from '../engine';

/**
 * Collects a program's output and hands it on in batches, so a program that prints 100k lines
 * costs the editor a few messages, not 100k. Past `capBytes` per batch the oldest output is dropped
 * and the count is passed on, to be stated. Its backlog (what is batched plus what was sent but not
 * yet written to the editor's connection) lets the engine's OutputFlow hold the program back.
 */
export class OutputBatcher implements OutputSink {
  private chunks: string[] = [];
  private size = 0;
  private dropped = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly drainListeners = new Set<() => void>();

  constructor(
    private readonly send: (data: string, dropped: number) => Promise<void>,
    private readonly intervalMs = 30,
    private readonly capBytes = 256 * 1024,
  ) {}

  write(data: string): number {
    this.push(data);
    return this.backlog();
  }

  note(message: string): void {
    this.push(`\x1b[2m[hot reload] ${message}\x1b[0m\n`);
  }

  backlog(): number {
    return this.size + this.inFlight;
  }

  onDrain(listener: () => void): Disposable {
    this.drainListeners.add(listener);
    return { dispose: () => this.drainListeners.delete(listener) };
  }

  push(data: string): void {
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.capBytes && this.chunks.length > 1) {
      const oldest = this.chunks.shift()!;
      this.size -= oldest.length;
      this.dropped += Buffer.byteLength(oldest);
    }
    if (this.size > this.capBytes) {
      const only = this.chunks[0];
      const keep = only.slice(only.length - this.capBytes);
      this.dropped += Buffer.byteLength(only) - Buffer.byteLength(keep);
      this.chunks = [keep];
      this.size = keep.length;
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size === 0 && this.dropped === 0) return;
    const data = this.chunks.join('');
    const dropped = this.dropped;
    this.chunks = [];
    this.size = 0;
    this.dropped = 0;
    this.inFlight += data.length;
    const done = () => {
      this.inFlight -= data.length;
      for (const listener of [...this.drainListeners]) listener();
    };
    this.send(data, dropped).then(done, done);
  }

  dispose(): void {
    this.flush();
    this.drainListeners.clear();
  }
}
