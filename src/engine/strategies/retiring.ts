/**
 * Old versions on their way out. A zero-downtime strategy resolves a deploy as soon as the new
 * version serves and lets the old one drain in the background; this keeps every such drain
 * accounted for, so that disposing the strategy waits until each old process group is reaped.
 */
export class Retiring {
  private readonly pending = new Set<Promise<void>>();

  /** Follows a drain to its end; its failure is reported through `onError`, never thrown. */
  track(drain: Promise<void>, onError?: (err: unknown) => void): void {
    const tracked = drain.catch((err: unknown) => onError?.(err)).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  get count(): number {
    return this.pending.size;
  }

  /** Resolves once every drain tracked so far, and any tracked while waiting, has ended. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
