import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock, Timer } from '../../kernel/clock';
import type { Disposable } from '../../kernel/disposable';
import type { ChangedFile, ReloadTrigger } from '../../kernel/events';
import type { Settings } from '../../settings/types';
import { ContentHashes } from '../../watch/contentHashes';
import { ChangeDebouncer } from '../../watch/debounce';
import { startFastPath } from '../../watch/fastPath';
import { createPathFilter, type PathFilter } from '../../watch/filter';
import { TreeScan } from '../../watch/treeScan';
import { startWatcher, type Watcher } from '../../watch/watcher';
import type { SourceSnapshot } from '../reload/snapshot';
import { isInside } from '../../kernel/paths';
import { AlsoWatched } from './alsoWatched';
import { ProgramWrites } from './programWrites';

/** How often the project folder's existence is checked (a deleted root silences the watcher). */
const ROOT_CHECK_MS = 1000;

/** Takes real changes on (to the router); resolves once they are where they go. */
type ChangeListener = (changes: ChangedFile[], firstEventAt: number, trigger: ReloadTrigger) => Promise<void>;

export interface ChangeFeedDeps {
  settings: Settings;
  snapshot: SourceSnapshot;
  clock: Clock;
  listener: ChangeListener;
  log: (level: 'info' | 'error', message: string) => void;
  /** The project folder came back after it was deleted: everything may have changed. */
  rootBack: () => void;
  /** The process group leaders of the versions running on this machine: what they write is theirs, not an edit. */
  writers: () => readonly number[];
}

/**
 * intake/: where reloads come from and how they wait their turn. The change feed (this file)
 * turns the file watcher's events (with its low-latency fast path and a debounce) and editor
 * saves (no debounce), through the path filter and the content hashes, into real changes to
 * files that matter, each recorded in the source snapshot. The router (changeRouter.ts) sends
 * them on: stylesheets to open pages, files the builder reads to the reload queue
 * (reloadQueue.ts: one reload at a time, a named policy for changes that arrive while busy).
 * Beside them, builds before the save (buildBeforeSave.ts, speculator.ts) build the editor's
 * unsaved buffers after a pause in typing, for the save to find done.
 */
export class ChangeFeed implements Disposable {
  readonly filter: PathFilter;
  private readonly hashes = new ContentHashes();
  private readonly debouncer: ChangeDebouncer;
  private readonly scan: TreeScan;
  private readonly programWrites: ProgramWrites;
  /** Folders outside the project folder watched beside it (alsoWatch). */
  private readonly also: AlsoWatched;
  /** The content hashes of the tree as first seen, taken once (by start, or by the first catch-up). */
  private baselined: Promise<void> | undefined;
  private readonly baselineDirs = new Set<string>();
  /** Batches being read and routed now. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private watcher: Watcher | undefined;
  private fastPath: Disposable | undefined;
  private rootCheck: Timer | undefined;
  private rootGone = false;
  private disposed = false;
  private readonly settings: Settings;
  private readonly snapshot: SourceSnapshot;
  private readonly clock: Clock;
  private readonly log: ChangeFeedDeps['log'];

  constructor(private readonly deps: ChangeFeedDeps) {
    this.settings = deps.settings;
    this.snapshot = deps.snapshot;
    this.clock = deps.clock;
    this.log = deps.log;
    this.filter = createPathFilter(this.settings);
    this.debouncer = new ChangeDebouncer(this.settings.debounceMs, (changes, first) => void this.deliver(changes, first, 'change'), this.clock);
    this.scan = new TreeScan(this.settings.root, this.filter);
    this.also = new AlsoWatched(this.settings);
    this.programWrites = new ProgramWrites({ root: this.settings.root, writers: deps.writers, log: (message) => this.log('info', message) });
  }

  /** Starts watching; the content baseline (and the fast path) follow in the background. */
  async start(): Promise<void> {
    this.rootCheck ??= this.clock.setInterval(() => void this.checkRoot(), ROOT_CHECK_MS).unref();
    const watchStarted = this.clock.now();
    this.watcher = await startWatcher(this.settings.root, this.filter, (changes) => this.onWatcherChanges(changes), {
      kind: this.settings.watcher,
      pollIntervalMs: this.settings.pollIntervalMs,
      onError: (err) => this.log('error', `file watcher failed: ${err.message}`),
    });
    if (this.disposed) {
      this.watcher.dispose();
      return;
    }
    this.log('info', `watching ${this.settings.root} (${this.watcher.kind} watcher, ready in ${this.clock.now() - watchStarted} ms)`);
    await this.also.start(
      (changes) => this.onWatcherChanges(changes),
      (message) => this.log('info', message),
    );
    void this.baseline().then(() => {
      if (this.disposed || this.watcher?.kind !== 'native' || this.fastPath) return;
      this.fastPath = startFastPath(this.baselineDirs, this.filter, (changes) => this.onWatcherChanges(changes));
    });
  }

  /**
   * Reads the tree now and takes in what differs from what was last seen, as a save's changes are
   * (no debounce): for a caller that must know what is on disk rather than trust that every
   * watcher event has arrived. Resolves with those changes once they, and any batch being
   * delivered meanwhile, are routed (a reload they start is queued by then).
   */
  async catchUp(): Promise<ChangedFile[]> {
    await this.baseline();
    await this.delivered();
    if (this.disposed || this.rootGone || !fs.existsSync(this.settings.root)) return [];
    const known = this.hashes.files();
    const { maybeChanged, gone } = await this.scan.changedSince(known.filter((file) => isInside(this.settings.root, file)));
    const changes: ChangedFile[] = this.programWrites.sift([
      ...maybeChanged.map((f) => ({ path: f, kind: 'update' as const })),
      ...gone.map((f) => ({ path: f, kind: 'delete' as const })),
      ...(await this.also.changedSince(known)),
    ]);
    for (const change of changes) this.debouncer.forget(change.path);
    return changes.length > 0 ? this.deliver(changes, this.clock.now(), 'change', true) : [];
  }

  /** Hashes the tree as it is first seen (once; the watcher starts it, or a session that does not watch): what changes are measured against. */
  baseline(): Promise<void> {
    const onFile = (file: string, content: Buffer | undefined, hash: string) => {
      this.snapshot.recordBaseline(file, content, hash);
      if (isInside(this.settings.root, file)) this.baselineDirs.add(path.dirname(file));
    };
    this.baselined ??= this.hashes
      .baseline(this.settings.root, this.filter, onFile)
      .then(() => this.also.baseline(this.hashes, onFile))
      .then(() => undefined);
    return this.baselined;
  }

  /** Files the build reads besides the sources the settings name (a Go program's `//go:embed` files): they count whatever their extension. */
  acceptAlso(files: readonly string[]): void {
    this.filter.acceptAlso(files);
    this.also.acceptAlso(files);
  }

  /** Resolves once no batch is being read or routed. */
  private async delivered(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** An editor saved these files: they count at once, without the watcher's debounce. Resolves once they are read and sent on. */
  async saved(files: string[], trigger: ReloadTrigger = 'save', firstEventAt = this.clock.now()): Promise<void> {
    for (const file of files) this.debouncer.forget(file);
    const changes = files.filter((f) => this.accepts(f)).map((f) => ({ path: f, kind: 'update' as const }));
    if (changes.length > 0) await this.deliver(changes, firstEventAt, trigger);
  }

  /** Whether a change to this file counts: the path filter's, or a folder watched beside the root. */
  accepts(file: string): boolean {
    return this.filter.accepts(file) || this.also.accepts(file);
  }

  dispose(): void {
    this.disposed = true;
    this.clock.clearInterval(this.rootCheck);
    this.watcher?.dispose();
    this.also.dispose();
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
      this.baselined = undefined; // files new since are baseline, not changes, as at the first start
      await this.start();
      this.deps.rootBack();
    }
  }

  private onWatcherChanges(changes: ChangedFile[]): void {
    if (changes.some((c) => path.basename(c.path) === '.gitignore')) this.filter.reloadGitignore();
    const edits = this.programWrites.sift(changes);
    if (edits.length > 0) this.debouncer.add(edits);
  }

  /** Reads `files` again and records any content newer than their last event (a build is starting from them). */
  async settle(files: string[]): Promise<void> {
    await this.hashes.filterChanged(
      files.map((file) => ({ path: file, kind: 'update' as const })),
      (file, content, hash) => this.snapshot.recordChange(file, content, hash),
    );
  }

  /** Keeps the batch's real changes (content that differs from the last seen) and routes them; resolves with them once routed. */
  private deliver(changes: ChangedFile[], firstEventAt: number, trigger: ReloadTrigger, treeRead = false): Promise<ChangedFile[]> {
    const delivery = (async () => {
      const real = await this.hashes.filterChanged(changes, (file, content, hash) => this.snapshot.recordChange(file, content, hash), treeRead);
      if (real.length > 0 && !this.disposed) await this.deps.listener(real, firstEventAt, trigger);
      return real;
    })();
    this.inFlight.add(delivery);
    void delivery.catch(() => undefined).finally(() => this.inFlight.delete(delivery));
    return delivery;
  }
}
