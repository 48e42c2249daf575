/**
 * Collects a program's output and hands it on in batches, so a program that
 * prints 100k lines costs the editor a few messages, not 100k. Past `capBytes`
 * per batch the oldest output is dropped and the count is passed on, to be stated.
 */
export class OutputBatcher {
  private chunks: string[] = [];
  private size = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (data: string, dropped: number) => void,
    private readonly intervalMs = 30,
    private readonly capBytes = 256 * 1024,
  ) {}

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
    this.send(data, dropped);
  }

  dispose(): void {
    this.flush();
  }
}
