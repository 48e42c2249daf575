/**
 * A system's one watcher: the services' sessions do not watch (each would see every change of the
 * shared tree at its own moment); this watches the system's folder once, debounces, and hands each
 * batch of changed files to the system, one batch at a time: a batch that comes while the last
 * one's transaction runs waits for it, merged with any other that comes meanwhile.
 */
import type { Disposable } from '../kernel/disposable';
import type { ChangedFile } from '../kernel/events';
import type { Settings } from '../settings/types';
import { ChangeDebouncer } from '../watch/debounce';
import { createPathFilter } from '../watch/filter';
import { startWatcher, type Watcher } from '../watch/watcher';
import { ProgramWrites } from '../session/intake/programWrites';

export class SystemIntake implements Disposable {
  private watcher: Watcher | undefined;
  private readonly debouncer: ChangeDebouncer;
  private pending = new Map<string, ChangedFile>();
  private pendingSince: number | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;
  private readonly programWrites: ProgramWrites;

  constructor(
    /** The system folder's watch settings, with every service's extensions. */
    private readonly settings: Settings,
    private readonly transact: (files: string[], firstEventAt: number) => Promise<void>,
    private readonly log: (level: 'info' | 'error', message: string) => void,
    /** The services' running processes: the files they write (a database in the tree) are theirs, not edits. */
    writers: () => readonly number[],
  ) {
    this.debouncer = new ChangeDebouncer(settings.debounceMs, (changes, first) => this.take(changes, first));
    this.programWrites = new ProgramWrites({ root: settings.root, writers, log: (message) => this.log('info', message) });
  }

  async start(): Promise<void> {
    const filter = createPathFilter(this.settings);
    this.watcher = await startWatcher(this.settings.root, filter, (changes) => this.debouncer.add(this.programWrites.sift(changes)), {
      kind: this.settings.watcher,
      pollIntervalMs: this.settings.pollIntervalMs,
      onError: (err) => this.log('error', `file watcher failed: ${err.message}`),
    });
    if (this.disposed) this.watcher.dispose();
  }

  /** An editor saved these files: taken at once, without the debounce. */
  saved(files: readonly string[]): void {
    this.take(
      files.map((file) => ({ path: file, kind: 'update' as const })),
      Date.now(),
    );
  }

  /** Resolves once no batch is waiting or running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.dispose();
    this.debouncer.dispose();
  }

  private take(changes: ChangedFile[], firstEventAt: number): void {
    for (const change of changes) this.pending.set(change.path, change);
    this.pendingSince = Math.min(this.pendingSince ?? firstEventAt, firstEventAt);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.disposed) {
      const files = [...this.pending.keys()];
      const since = this.pendingSince ?? Date.now();
      this.pending = new Map();
      this.pendingSince = undefined;
      try {
        await this.transact(files, since);
      } catch (err) {
        this.log('error', `a change could not be taken in: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }
}
