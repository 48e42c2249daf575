import { realClock, type Clock, type Timer } from '../kernel/clock';
import type { ChangedFile } from '../kernel/events';

/**
 * A trailing debounce over file changes: a burst (a branch switch, a formatter
 * rewriting many files) becomes one batch, delivered `delayMs` after the last
 * event. Later events for the same path replace earlier ones, except that a
 * file created then updated in the same batch stays "create".
 */
export class ChangeDebouncer {
  private pending = new Map<string, ChangedFile>();
  private timer: Timer | undefined;
  private firstEventAt: number | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly deliver: (changes: ChangedFile[], firstEventAt: number) => void,
    private readonly clock: Clock = realClock,
  ) {}

  add(changes: ChangedFile[], at = this.clock.now()): void {
    if (changes.length === 0) return;
    this.firstEventAt ??= at;
    for (const change of changes) {
      const previous = this.pending.get(change.path);
      const kind = previous?.kind === 'create' && change.kind === 'update' ? 'create' : change.kind;
      this.pending.set(change.path, { path: change.path, kind });
    }
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.flush(), this.delayMs);
  }

  /** Delivers what is pending now, without waiting (an editor save needs no debounce). */
  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const changes = [...this.pending.values()];
    const first = this.firstEventAt ?? this.clock.now();
    this.pending.clear();
    this.firstEventAt = undefined;
    this.deliver(changes, first);
  }

  /** Removes a path from the pending batch (it was handled directly). */
  forget(path: string): void {
    this.pending.delete(path);
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
