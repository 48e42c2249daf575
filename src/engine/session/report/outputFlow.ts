import type { Disposable } from '../../kernel/disposable';
import type { Settings } from '../../settings/types';
import type { Session } from '../session';

/** Where a front end writes a program's output: a terminal, the editor's connection. */
export interface OutputSink {
  /** Writes, and returns how many bytes the sink holds that are not out yet (its backlog). */
  write(data: string, stream: 'stdout' | 'stderr'): number;
  /** A line from the engine itself (how much was dropped). */
  note(message: string): void;
  /** Calls `listener` whenever the backlog has gone down. */
  onDrain(listener: () => void): Disposable;
  /** The backlog now. */
  backlog(): number;
}

/** The most a sink may hold before output is dropped or paused. */
const OUTPUT_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * A program's output on its way to a slow reader (`hotreload | less` left alone, a busy editor):
 * never more than OUTPUT_LIMIT_BYTES waits in the sink. Beyond it, as `outputOverflow` says,
 * output is dropped and counted (and the count said once the sink catches up), or the program's
 * output is paused: it then blocks on a full pipe until the sink drains.
 */
export class OutputFlow implements Disposable {
  private dropped = 0;
  private paused = false;
  private readonly subscriptions: Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly sink: OutputSink,
    private readonly policy: Settings['outputOverflow'] = session.settings.outputOverflow,
    private readonly limit = OUTPUT_LIMIT_BYTES,
  ) {
    this.subscriptions.push(
      session.events.on((event) => {
        if (event.type === 'output') this.write(event.data, event.stream);
      }),
      sink.onDrain(() => this.drained()),
    );
  }

  private write(data: string, stream: 'stdout' | 'stderr'): void {
    if (this.dropped > 0 || (this.policy === 'drop' && this.sink.backlog() > this.limit)) {
      this.dropped += Buffer.byteLength(data);
      return;
    }
    const backlog = this.sink.write(data, stream);
    if (backlog > this.limit && this.policy === 'pause' && !this.paused) {
      this.paused = true;
      this.session.setOutputPaused(true);
    }
  }

  private drained(): void {
    if (this.sink.backlog() > this.limit / 2) return;
    if (this.dropped > 0) {
      const dropped = this.dropped;
      this.dropped = 0;
      this.sink.note(`… ${formatBytes(dropped)} of output dropped: the program printed faster than it could be shown`);
    }
    if (this.paused) {
      this.paused = false;
      this.session.setOutputPaused(false);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    if (this.paused) this.session.setOutputPaused(false);
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
