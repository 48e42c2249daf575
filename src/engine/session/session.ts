import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrowserReload, withStylesheets } from '../browser/browserReload';
import { isAtOrInside } from '../kernel/paths';
import type { SessionState } from '../kernel/events';
import type { Builder } from '../languages';
import { ProcessHost } from '../processes/processHost';
import type { Program } from '../processes/program';
import { runShell } from '../processes/runCommand';
import { stopOrphanSupervisors } from '../processes/runRecords';
import { isRemote, targetLabel, transportFor } from '../processes/transports';
import type { Settings } from '../settings/types';
import { Debugging } from '../debug/debugging';
import { createStrategy } from '../strategies/factory';
import { pageUrl } from '../strategies/publicAddress';
import type { RunStrategy } from '../strategies/strategy';
import { ArtifactStore } from './artifacts';
import { ChangeFeed } from './changeFeed';
import { ChangeRouter } from './changeRouter';
import { ProgramKeeper } from './keeper';
import { Reloader } from './reloader';
import { ReloadQueue, type PendingReload } from './reloadQueue';
import { SessionReporter } from './reporter';
import { SourceSnapshot, type SourceChange } from './snapshot';
import { buildBeforeSave } from './buildBeforeSave';
import type { Speculator } from './speculator';
import { TargetWatch } from './targetWatch';
import type { SessionOptions, SessionParts } from './sessionParts';
import { VersionLauncher } from './versionLauncher';
import { prepareWorkDir } from './workDir';

export type { Launch, SessionOptions, SessionParts } from './sessionParts';

/**
 * One target's hot-reload loop: idle → building → starting → running, with failed and crashed
 * beside them. It composes the parts: a change feed (watcher, saves, content hashes), a reload queue
 * (one build at a time, a policy for changes while busy), the language's builder, the strategy
 * that deploys, and the keeper (crash window, rollback, rerun); it emits what happens as events.
 */
export class Session {
  readonly strategy: RunStrategy;
  /** Present when browser reload is on. */
  readonly browser: BrowserReload | undefined;
  private readonly reporter: SessionReporter;
  private readonly store: ArtifactStore;
  private readonly host: ProcessHost;
  private readonly snapshot: SourceSnapshot;
  private readonly feed: ChangeFeed;
  private readonly queue: ReloadQueue;
  private readonly keeper: ProgramKeeper;
  private readonly reloader: Reloader;
  private readonly builder: Builder;
  /** With `debug`: the debuggers' address, and every version under the debug adapter. */
  private readonly debugging: Debugging | undefined;
  private readonly speculator: Speculator | undefined;
  /** Why builds before the save are off, said once when the editor first sends a buffer. */
  private speculationOff: string | undefined;
  private disposed = false;
  private readonly targetWatch: TargetWatch | undefined;
  private readonly launcher: VersionLauncher;

  constructor(
    readonly settings: Settings,
    parts: SessionParts,
    private readonly options: SessionOptions = {},
  ) {
    const name = path.basename(settings.package === '.' || !settings.package ? settings.moduleRoot : settings.package) || 'app';
    const { language } = parts;
    this.reporter = new SessionReporter(() => ({
      version: this.keeper.artifact?.version,
      pid: this.keeper.program?.pid,
      strategy: this.strategy.name,
      target: targetLabel(settings),
      url: this.url,
    }));
    if (settings.browserReload) {
      const browser = new BrowserReload({ root: settings.root, editorScheme: options.editorScheme ?? 'vscode' });
      this.reporter.events.on((event) => browser.follow(event));
      this.browser = browser;
    }
    this.store = new ArtifactStore(settings.workDir, safeName(name));
    this.host = new ProcessHost((message) => this.reporter.log('warn', message), transportFor(settings), isRemote(settings));
    this.snapshot = new SourceSnapshot(settings.workDir);
    const log = (level: 'info' | 'warn' | 'error', message: string) => this.reporter.log(level, message);
    this.debugging = settings.debug ? new Debugging(settings, language, { log, stop: () => void this.dispose(), restart: () => this.restart() }) : undefined;
    this.launcher = new VersionLauncher(settings, {
      language,
      host: this.host,
      reporter: this.reporter,
      debugging: this.debugging,
      color: options.color === true,
    });
    this.strategy =
      parts.strategy?.(this.launcher.launch, log) ??
      createStrategy(settings.strategy, { settings, language, launch: this.launcher.launch, log, host: this.host, pages: this.browser?.pages });
    this.keeper = new ProgramKeeper({
      settings,
      reporter: this.reporter,
      parseCrash: (output) => language.parseCrash(output, settings),
      targetLost: () => this.host.lost,
      redeploy: (target, why, trigger) => void this.reloader.redeploy(target, why, trigger),
    });
    this.queue = new ReloadQueue(
      settings.onBusyUpdate,
      async (reload, running) => {
        // Nothing is built before the save while a reload runs: it never competes with one.
        this.speculator?.suspend();
        try {
          await this.reloader.run(reload, running);
        } finally {
          this.speculator?.resume();
        }
      },
      (err) => {
        log('error', `reload failed unexpectedly: ${err.stack ?? String(err)}`);
        this.reporter.setState(this.keeper.program ? 'running' : 'crashed', err.message);
      },
    );
    const builder = parts.builder ?? language.createBuilder(settings, this.host);
    this.builder = builder;
    const speculation = buildBeforeSave({
      settings,
      language,
      builder,
      strategy: this.strategy,
      name: safeName(name),
      env: () => this.host.buildEnv(settings.buildEnv).catch(() => ({})),
    });
    this.speculator = 'speculator' in speculation ? speculation.speculator : undefined;
    this.speculationOff = 'off' in speculation ? speculation.off : undefined;
    this.reloader = new Reloader({
      settings,
      language,
      builder,
      strategy: this.strategy,
      store: this.store,
      snapshot: this.snapshot,
      keeper: this.keeper,
      reporter: this.reporter,
      queue: this.queue,
      speculator: this.speculator,
      host: this.host,
      settle: (files) => this.feed.settle(files),
      watching: options.watch !== false,
      disposed: () => this.disposed,
    });
    const label = targetLabel(settings);
    this.targetWatch =
      label && isRemote(settings)
        ? new TargetWatch(this.host, label, { reporter: this.reporter, keeper: this.keeper, reloader: this.reloader, restart: () => this.restart() })
        : undefined;
    const router = new ChangeRouter({
      root: settings.root,
      builder,
      snapshot: this.snapshot,
      reporter: this.reporter,
      browser: this.browser,
      speculator: this.speculator,
      enqueue: (reload) => this.enqueue(reload),
      disposed: () => this.disposed,
    });
    this.feed = new ChangeFeed(
      this.browser ? { ...settings, extensions: withStylesheets(settings.extensions) } : settings,
      this.snapshot,
      (changes, firstEventAt, trigger) => void router.route(changes, firstEventAt, trigger),
      log,
      () => this.enqueue({ changes: new Map(), trigger: 'change', firstEventAt: Date.now(), force: true }),
    );
  }

  get events(): SessionReporter['events'] {
    return this.reporter.events;
  }

  get currentState(): SessionState {
    return this.reporter.state;
  }

  get currentProgram(): Program | undefined {
    return this.keeper.program;
  }

  get currentVersion(): number | undefined {
    return this.keeper.artifact?.version;
  }

  /** Where a browser opens the program (through browser reload's proxy when it is on), once known. */
  get url(): string | undefined {
    const address = this.strategy.address;
    return address ? pageUrl(address) : undefined;
  }

  /** With `debug`: where debuggers connect ("127.0.0.1:4711"), once started. */
  get debugAddress(): string | undefined {
    return this.debugging?.address;
  }

  /** Stops programs left by a killed engine, starts watching and runs the first build. */
  async start(): Promise<void> {
    prepareWorkDir(this.settings.workDir, this.settings.root);
    for (const pid of await stopOrphanSupervisors())
      this.reporter.log('warn', `stopped supervisor ${pid} and its programs, left running by an engine that was killed`);
    this.reporter.log('info', this.builder.describe());
    for (const note of this.strategy.startNotes?.() ?? []) this.reporter.log(note.level, note.message);
    await this.debugging?.open();
    this.enqueue({ changes: new Map(), trigger: 'start', firstEventAt: Date.now(), force: true });
    if (this.options.watch !== false) await this.feed.start();
  }

  /** Whether a file belongs to this session's project folder (by path segments, never a string prefix). */
  owns(file: string): boolean {
    return isAtOrInside(this.settings.root, file);
  }

  /** An editor saved these files: reload now, without the watcher's debounce. */
  notifySaved(files: string[]): void {
    const deferred = this.queue.deferredAmong(files);
    if (deferred.length > 0) this.enqueue({ changes: new Map(deferred.map((c) => [c.path, c])), trigger: 'save', firstEventAt: Date.now(), force: false });
    this.feed.saved(files);
  }

  /**
   * An editor's unsaved text of a file (undefined: the buffer was closed). After a pause in typing
   * the session builds it before the save; nothing of that shows until a save uses the build.
   */
  editorBuffer(file: string, text: string | undefined): void {
    if (this.disposed || !this.owns(file) || !this.feed.filter.accepts(file)) return;
    if (this.speculator) this.speculator.edit(file, text);
    else if (this.speculationOff) {
      this.reporter.log('info', `builds before the save are off: ${this.speculationOff}`);
      this.speculationOff = undefined;
    }
  }

  /**
   * A restart the user asked for: a new process of the running version when no source changed
   * since it was built (no build), else a build of what changed and a deploy.
   */
  restart(): void {
    this.enqueue({ changes: new Map(), trigger: 'manual', firstEventAt: Date.now(), force: true, reuse: true });
  }

  /** Files that differ from the running version's sources as the user sees them: `unsaved` editor text (by path), else on disk. */
  changes(unsaved: ReadonlyMap<string, string> = new Map()): SourceChange[] {
    return this.snapshot.changes(new Map([...unsaved].filter(([file]) => this.owns(file) && this.feed.filter.accepts(file))));
  }

  /** A file's content in the sources of the running version (undefined when it did not exist). */
  runningContent(file: string): Buffer | undefined {
    return this.snapshot.builtContent(file);
  }

  /** Pauses (or resumes) reading the program's output, for a reader that cannot keep up (OutputFlow). */
  setOutputPaused(paused: boolean): void {
    this.launcher.setOutputPaused(paused);
    this.keeper.program?.setOutputPaused(paused);
  }

  /** Sends the user's input to the running program. */
  writeInput(data: string | Buffer): boolean {
    return this.keeper.program?.writeInput(data) ?? false;
  }

  /** Stops everything this session runs and waits until it is gone. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.feed.dispose();
    this.targetWatch?.dispose();
    this.queue.dispose();
    await this.queue.idle();
    await this.speculator?.dispose();
    this.keeper.dispose();
    await this.keeper.take()?.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
    // Pages' event streams end cleanly first (the proxy closing would cut them mid-message); they reconnect to the next engine.
    this.browser?.dispose();
    await this.strategy.dispose();
    await this.builder.dispose?.();
    await this.debugging?.dispose();
    for (const command of this.settings.postStopCommands) {
      const result = await runShell(command, { cwd: this.settings.root, env: process.env, host: this.host });
      if (result.code !== 0) this.reporter.log('warn', `post-stop command failed: ${command}\n${result.output}`);
    }
    await this.host.shutdown(this.settings.gracePeriodMs);
    if (this.settings.cleanOnExit) fs.rmSync(this.settings.workDir, { recursive: true, force: true });
    this.reporter.setState('stopped', undefined);
    this.reporter.dispose();
  }

  /** For process exit handlers, where nothing asynchronous runs any more. */
  killAllSync(): void {
    this.host.killSync();
  }

  private enqueue(reload: PendingReload): void {
    if (this.disposed) return;
    this.keeper.reset();
    this.queue.enqueue(reload);
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'app';
}
