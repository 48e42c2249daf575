import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Disposable } from '../kernel/disposable';
import type { ChangedFile, ReloadTrigger } from '../kernel/events';
import type { Settings } from '../settings/types';
import { ContentHashes } from '../watch/contentHashes';
import { ChangeDebouncer } from '../watch/debounce';
import { startFastPath } from '../watch/fastPath';
import { createPathFilter, type PathFilter } from '../watch/filter';
import { startWatcher, type Watcher } from '../watch/watcher';
import type { SourceSnapshot } from './snapshot';

/** How often the project folder's existence is checked (a deleted root silences the watcher). */
const ROOT_CHECK_MS = 1000;

export type ChangeListener = (changes: ChangedFile[], firstEventAt: number, trigger: ReloadTrigger) => void;

/**
 * Where reloads come from: the file watcher (with its low-latency fast path and a debounce) and
 * editor saves (no debounce), through the path filter and the content hashes, so that only real
 * changes to files that matter come out. Every change is also recorded in the source snapshot.
 */
export class ChangeFeed implements Disposable {
  readonly filter: PathFilter;
  private readonly hashes = new ContentHashes();
  private readonly debouncer: ChangeDebouncer;
  private watcher: Watcher | undefined;
  private fastPath: Disposable | undefined;
  private rootCheck: NodeJS.Timeout | undefined;
  private rootGone = false;
  private disposed = false;

  constructor(
    private readonly settings: Settings,
    private readonly snapshot: SourceSnapshot,
    private readonly listener: ChangeListener,
    private readonly log: (level: 'info' | 'error', message: string) => void,
    /** The project folder came back after it was deleted: everything may have changed. */
    private readonly onRootBack: () => void = () => undefined,
  ) {
    this.filter = createPathFilter(settings);
    this.debouncer = new ChangeDebouncer(settings.debounceMs, (changes, first) => void this.deliver(changes, first, 'change'));
  }

  /** Starts watching; the content baseline (and the fast path) follow in the background. */
  async start(): Promise<void> {
    this.rootCheck ??= setInterval(() => void this.checkRoot(), ROOT_CHECK_MS).unref();
    const watchStarted = Date.now();
    this.watcher = await startWatcher(this.settings.root, this.filter, (changes) => this.onWatcherChanges(changes), {
      kind: this.settings.watcher,
      pollIntervalMs: this.settings.pollIntervalMs,
      onError: (err) => this.log('error', `file watcher failed: ${err.message}`),
    });
    if (this.disposed) {
      this.watcher.dispose();
      return;
    }
    this.log('info', `watching ${this.settings.root} (${this.watcher.kind} watcher, ready in ${Date.now() - watchStarted} ms)`);
    const dirs = new Set<string>();
    void this.hashes
      .baseline(this.settings.root, this.filter, (file, content, hash) => {
        this.snapshot.recordBaseline(file, content, hash);
        dirs.add(path.dirname(file));
      })
      .then(() => {
        if (this.disposed || this.watcher?.kind !== 'native') return;
        this.fastPath = startFastPath(dirs, this.filter, (changes) => this.onWatcherChanges(changes));
      });
  }

  /** An editor saved these files: they count at once, without the watcher's debounce. */
  saved(files: string[]): void {
    for (const file of files) this.debouncer.forget(file);
    const changes = files.filter((f) => this.filter.accepts(f)).map((f) => ({ path: f, kind: 'update' as const }));
    if (changes.length > 0) void this.deliver(changes, Date.now(), 'save');
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.rootCheck);
    this.watcher?.dispose();
    this.fastPath?.dispose();
    this.debouncer.dispose();
  }

  /** A project folder deleted (or moved away) is said once; when it is back, watching starts over. */
  private async checkRoot(): Promise<void> {
    const exists = fs.existsSync(this.settings.root);
    if (!exists && !this.rootGone) {
      this.rootGone = true;
      this.watcher?.dispose();
      this.fastPath?.dispose();
      this.watcher = this.fastPath = undefined;
      this.log(
        'error',
        `the project folder ${this.settings.root} was deleted or moved: the running version keeps serving, and hot reload resumes when the folder is back`,
      );
    } else if (exists && this.rootGone && !this.disposed) {
      this.rootGone = false;
      this.log('info', `the project folder ${this.settings.root} is back: watching it again`);
      await this.start();
      this.onRootBack();
    }
  }

  private onWatcherChanges(changes: ChangedFile[]): void {
    if (changes.some((c) => path.basename(c.path) === '.gitignore')) this.filter.reloadGitignore();
    this.debouncer.add(changes);
  }

  /** Reads `files` again and records any content newer than their last event (a build is starting from them). */
  async settle(files: string[]): Promise<void> {
    await this.hashes.filterChanged(
      files.map((file) => ({ path: file, kind: 'update' as const })),
      (file, content, hash) => this.snapshot.recordChange(file, content, hash),
    );
  }

  private async deliver(changes: ChangedFile[], firstEventAt: number, trigger: ReloadTrigger): Promise<void> {
    const real = await this.hashes.filterChanged(changes, (file, content, hash) => this.snapshot.recordChange(file, content, hash));
    if (real.length > 0 && !this.disposed) this.listener(real, firstEventAt, trigger);
  }
}
