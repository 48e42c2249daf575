import type { ChangedFile, ReloadTrigger } from '../../kernel/events';
import type { Settings } from '../../settings/types';

export interface PendingReload {
  changes: Map<string, ChangedFile>;
  trigger: ReloadTrigger;
  firstEventAt: number;
  /** Build even when no file changed (start, manual restart). */
  force: boolean;
  /**
   * A restart the user asked for: when no source changed since the running version was built, it
   * starts that version's executable again instead of building it anew.
   */
  reuse?: boolean;
}

/** The reload under way: its build can be cancelled while `cancellable` is true. */
export interface RunningReload {
  readonly signal: AbortSignal;
  cancellable: boolean;
}

export type OnBusyUpdate = Settings['onBusyUpdate'];

/**
 * Reloads, one at a time. A reload that arrives while one runs is merged into the next (its files,
 * the earliest event time, a forced build), and what happens to the one under way is the named
 * policy, as watchexec's on-busy-update: `restart` cancels its build (the whole process group),
 * `queue` lets it finish, `do-nothing` keeps file changes out of the queue until the next reload.
 * Starts, manual restarts and rollbacks always queue.
 */
export class ReloadQueue {
  private pending: PendingReload | undefined;
  /** File changes left out under `do-nothing`: they join the next reload. */
  private readonly deferred = new Map<string, ChangedFile>();
  private current: { controller: AbortController; reload: RunningReload } | undefined;
  private loop: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly policy: OnBusyUpdate,
    private readonly run: (reload: PendingReload, running: RunningReload) => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Whether a reload runs now. */
  get busy(): boolean {
    return this.loop !== undefined;
  }

  /** Whether these files changed while busy and were left out (`do-nothing`). */
  deferredAmong(files: readonly string[]): ChangedFile[] {
    return files.flatMap((f) => this.deferred.get(f) ?? []);
  }

  enqueue(reload: PendingReload): void {
    if (this.disposed) return;
    const isFileChange = reload.trigger === 'change' || reload.trigger === 'save';
    if (this.policy === 'do-nothing' && this.busy && isFileChange) {
      for (const [file, change] of reload.changes) this.deferred.set(file, change);
      return;
    }
    for (const [file, change] of this.deferred) if (!reload.changes.has(file)) reload.changes.set(file, change);
    this.deferred.clear();
    if (this.pending) {
      for (const [file, change] of reload.changes) this.pending.changes.set(file, change);
      this.pending.force ||= reload.force;
      // Merged with anything that is not such a restart, it builds.
      this.pending.reuse = this.pending.reuse === true && reload.reuse === true;
      this.pending.firstEventAt = Math.min(this.pending.firstEventAt, reload.firstEventAt);
      if (this.pending.trigger === 'change' || this.pending.trigger === 'save') this.pending.trigger = reload.trigger;
    } else {
      this.pending = reload;
    }
    if (this.policy === 'restart' || !isFileChange) this.cancel();
    this.loop ??= this.drain().finally(() => (this.loop = undefined));
  }

  /** An abandoned reload's files belong to the next reload's report. */
  requeue(reload: PendingReload, changedFiles: ChangedFile[]): void {
    if (!this.pending) return;
    for (const change of changedFiles) if (!this.pending.changes.has(change.path)) this.pending.changes.set(change.path, change);
    this.pending.firstEventAt = Math.min(this.pending.firstEventAt, reload.firstEventAt);
    this.pending.force ||= reload.force;
    this.pending.reuse = this.pending.reuse === true && reload.reuse === true;
    if (reload.trigger === 'start') this.pending.trigger = 'start';
  }

  /** Resolves once no reload runs. */
  async idle(): Promise<void> {
    await this.loop?.catch(() => undefined);
  }

  /** Drops what is pending and cancels the build under way. */
  dispose(): void {
    this.disposed = true;
    this.pending = undefined;
    this.deferred.clear();
    this.current?.controller.abort();
  }

  private cancel(): void {
    if (this.current?.reload.cancellable) this.current.controller.abort();
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.disposed) {
      const reload = this.pending;
      this.pending = undefined;
      const controller = new AbortController();
      const running: RunningReload = { signal: controller.signal, cancellable: true };
      this.current = { controller, reload: running };
      try {
        await this.run(reload, running);
      } catch (err) {
        this.onError(err as Error);
      } finally {
        this.current = undefined;
      }
    }
  }
}
