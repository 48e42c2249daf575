import * as fs from 'node:fs';
import type { Diagnostic } from '../kernel/diagnostic';
import type { ChangedFile, ReloadReport, SessionState, StateEvent } from '../kernel/events';
import { isAtOrInside } from '../kernel/paths';
import type { BrowserReload } from '../browser/browserReload';
import type { Program } from '../processes/program';
import { runShell } from '../processes/runCommand';
import { stopOrphanSupervisors } from '../processes/runRecords';
import { isRemote } from '../processes/transports';
import type { Settings } from '../settings/types';
import type { RunStrategy } from '../strategies/strategy';
import { composeSession, publicUrl, type SessionAssembly } from './compose';
import type { PendingReload } from './intake/reloadQueue';
import type { SourceChange } from './reload/snapshot';
import type { SessionReporter } from './report/reporter';
import { probeAddress } from '../strategies/probes';
import { whenUp, type VersionStart } from './serving/versionUp';
import type { SessionOptions, SessionParts } from './sessionParts';
import { prepareWorkDir } from './workDir';

export type { SessionOptions, SessionParts } from './sessionParts';

/**
 * One target's hot-reload loop: idle → building → starting → running, with failed and crashed
 * beside them. Its parts live in sub-folders by concept: intake/ (where changes come from and how
 * reloads wait their turn), reload/ (one reload, to one result), serving/ (starting versions and
 * keeping one alive), report/ (what front ends are told); compose.ts makes and wires them. The
 * session is what front ends hold: start, saves, buffers, restart, stop.
 */
export class Session {
  readonly strategy: RunStrategy;
  /** Present when browser reload is on. */
  readonly browser: BrowserReload | undefined;
  private readonly parts: SessionAssembly;
  /** Why builds before the save are off, said once when the editor first sends a buffer. */
  private speculationOff: string | undefined;

  constructor(
    readonly settings: Settings,
    parts: SessionParts,
    private readonly options: SessionOptions = {},
  ) {
    this.parts = composeSession(settings, parts, options, { stop: () => void this.dispose(), restart: () => this.restart() });
    this.strategy = this.parts.strategy;
    this.browser = this.parts.browser;
    this.speculationOff = this.parts.speculationOff;
  }

  get events(): SessionReporter['events'] {
    return this.parts.reporter.events;
  }

  get currentState(): SessionState {
    return this.parts.reporter.state;
  }

  get currentProgram(): Program | undefined {
    return this.parts.keeper.program;
  }

  get currentVersion(): number | undefined {
    return this.parts.keeper.artifact?.version;
  }

  /** The last state event (what front ends show: its detail says why). */
  get lastState(): StateEvent | undefined {
    return this.parts.reporter.stateEvent;
  }

  /** The last reload's report (a rollback's and a retry's included). */
  get lastReport(): ReloadReport | undefined {
    return this.parts.reporter.lastReport;
  }

  /** The build errors or the crash shown now. */
  get diagnostics(): readonly Diagnostic[] {
    return this.parts.reporter.currentDiagnostics;
  }

  /** Whether a reload is under way or waiting, or a version is being started (a rollback's included). */
  get reloading(): boolean {
    const { queue, reporter, keeper } = this.parts;
    const rollback = keeper.state.kind === 'waiting' && keeper.state.trigger === 'rollback';
    return queue.busy || rollback || reporter.state === 'building' || reporter.state === 'starting';
  }

  /** Where a browser opens the program (through browser reload's proxy when it is on), once known. */
  get url(): string | undefined {
    return publicUrl(this.strategy);
  }

  /** With `debug`: where debuggers connect ("127.0.0.1:4711"), once started. */
  get debugAddress(): string | undefined {
    return this.parts.debugging?.address;
  }

  /** Stops programs left by a killed engine, starts watching and runs the first build. */
  async start(): Promise<void> {
    const { reporter, builder, debugging, feed, clock } = this.parts;
    prepareWorkDir(this.settings.workDir, this.settings.root);
    for (const pid of await stopOrphanSupervisors())
      reporter.log('warn', `stopped supervisor ${pid} and its programs, left running by an engine that was killed`);
    reporter.log('info', builder.describe());
    builder.prepare?.();
    for (const note of this.strategy.startNotes?.() ?? []) reporter.log(note.level, note.message);
    await debugging?.open();
    this.enqueue({ changes: new Map(), trigger: 'start', firstEventAt: clock.now(), force: true });
    if (this.options.watch !== false) await feed.start();
    // Without a watcher too: a catch-up (hotreload wait) compares the tree with it.
    else void feed.baseline();
  }

  /** Whether a file belongs to this session's project folder (by path segments, never a string prefix). */
  owns(file: string): boolean {
    return isAtOrInside(this.settings.root, file);
  }

  /**
   * An editor saved these files: reload now, without the watcher's debounce. Resolves once they are
   * read and where they go (a reload queued, or left for later by the busy policy, or nothing new).
   */
  async notifySaved(files: string[]): Promise<void> {
    const { queue, feed, clock } = this.parts;
    const deferred = queue.deferredAmong(files);
    if (deferred.length > 0) this.enqueue({ changes: new Map(deferred.map((c) => [c.path, c])), trigger: 'save', firstEventAt: clock.now(), force: false });
    await feed.saved(files);
  }

  /** The process group leaders of its versions running on this machine now (none on a remote target): what they write is theirs, not an edit. */
  runningPids(): readonly number[] {
    return isRemote(this.settings) ? [] : this.parts.launcher.runningPids();
  }

  /** Which of these files this session builds from (a system asks, to know which services a change affects). */
  affectedBy(files: readonly string[]): string[] {
    const { feed, builder } = this.parts;
    return files.filter((file) => feed.accepts(file) && (builder.watches?.(file) ?? true));
  }

  /**
   * Changes a system's watcher saw (the session of a service does not watch itself): taken in as
   * its own watcher's would be, after the system's debounce. Resolves once any reload is queued.
   */
  async takeChanges(files: string[], firstEventAt: number): Promise<void> {
    if (!this.parts.life.stopped) await this.parts.feed.saved(files, 'change', firstEventAt);
  }

  /**
   * An editor's unsaved text of a file (undefined: the buffer was closed). After a pause in typing
   * the session builds it before the save; nothing of that shows until a save uses the build.
   */
  editorBuffer(file: string, text: string | undefined): void {
    const { life, feed, speculator, reporter } = this.parts;
    if (life.stopped || !this.owns(file) || !feed.filter.accepts(file)) return;
    if (speculator) speculator.edit(file, text);
    else if (this.speculationOff) {
      reporter.log('info', `builds before the save are off: ${this.speculationOff}`);
      this.speculationOff = undefined;
    }
  }

  /**
   * A restart the user asked for: a new process of the running version when no source changed
   * since it was built (no build), else a build of what changed and a deploy.
   */
  restart(): void {
    this.enqueue({ changes: new Map(), trigger: 'manual', firstEventAt: this.parts.clock.now(), force: true, reuse: true });
  }

  /** A build of the sources as they are now and a deploy, even when nothing changed since the running version (a system's service that was switched back). */
  rebuild(): void {
    this.enqueue({ changes: new Map(), trigger: 'manual', firstEventAt: this.parts.clock.now(), force: true });
  }

  /** Resolves once no reload runs or waits its turn. */
  idle(): Promise<void> {
    return this.parts.queue.idle();
  }

  /**
   * Reads the project folder now and takes in every change not yet seen, as an editor's save is
   * (no debounce), changes held back under `onBusyUpdate: do-nothing` included: for a caller that
   * must know that what is on disk is what gets built, whether or not the watcher has told yet.
   * Resolves once any reload those changes start is queued. Returns the changes taken in.
   */
  async catchUp(): Promise<ChangedFile[]> {
    const { life, feed, queue, snapshot, clock } = this.parts;
    if (life.stopped) return [];
    const changes = await feed.catchUp();
    const held = queue.deferredAmong(snapshot.changes().map((c) => c.path));
    if (held.length > 0) this.enqueue({ changes: new Map(held.map((c) => [c.path, c])), trigger: 'change', firstEventAt: clock.now(), force: false });
    return [...changes, ...held];
  }

  /**
   * Resolves once the version serving now is up: its address accepts connections (on this
   * machine), or it is alive past the crash window; `exited` when it ended first (the crash, if it was one, is reported by then);
   * `none` when nothing serves.
   */
  async versionUp(): Promise<VersionStart | 'none'> {
    const program = this.parts.keeper.program;
    if (!program) return 'none';
    // A remote program's address is on its host, not here: only its crash window tells.
    const address = isRemote(this.settings) ? undefined : probeAddress(this.strategy.address);
    return whenUp(program, { crashWindowMs: this.settings.crashWindowMs, address, clock: this.parts.clock });
  }

  /** Files that differ from the running version's sources as the user sees them: `unsaved` editor text (by path), else on disk. */
  changes(unsaved: ReadonlyMap<string, string> = new Map()): SourceChange[] {
    const { snapshot, feed } = this.parts;
    return snapshot.changes(new Map([...unsaved].filter(([file]) => this.owns(file) && feed.filter.accepts(file))));
  }

  /** A file's content in the sources of the running version (undefined when it did not exist). */
  runningContent(file: string): Buffer | undefined {
    return this.parts.snapshot.builtContent(file);
  }

  /** Pauses (or resumes) reading the program's output, for a reader that cannot keep up (OutputFlow). */
  setOutputPaused(paused: boolean): void {
    this.parts.launcher.setOutputPaused(paused);
    this.parts.keeper.program?.setOutputPaused(paused);
  }

  /** Sends the user's input to the running program. */
  writeInput(data: string | Buffer): boolean {
    return this.parts.keeper.program?.writeInput(data) ?? false;
  }

  /** Stops everything this session runs and waits until it is gone. */
  async dispose(): Promise<void> {
    const { life, feed, targetWatch, queue, speculator, keeper, browser, builder, debugging, reporter, host } = this.parts;
    if (life.stopped) return;
    life.stopped = true;
    feed.dispose();
    targetWatch?.dispose();
    queue.dispose();
    await queue.idle();
    await speculator?.dispose();
    keeper.dispose();
    await keeper.take()?.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
    // Pages' event streams end cleanly first (the proxy closing would cut them mid-message); they reconnect to the next engine.
    browser?.dispose();
    await this.strategy.dispose();
    await builder.dispose?.();
    await debugging?.dispose();
    for (const command of this.settings.postStopCommands) {
      const result = await runShell(command, { cwd: this.settings.root, env: process.env, host });
      if (result.code !== 0) reporter.log('warn', `post-stop command failed: ${command}\n${result.output}`);
    }
    await host.shutdown(this.settings.gracePeriodMs);
    if (this.settings.cleanOnExit) fs.rmSync(this.settings.workDir, { recursive: true, force: true });
    reporter.setState('stopped', undefined);
    reporter.dispose();
  }

  /** For process exit handlers, where nothing asynchronous runs any more. */
  killAllSync(): void {
    this.parts.host.killSync();
  }

  private enqueue(reload: PendingReload): void {
    this.parts.enqueue(reload);
  }
}
