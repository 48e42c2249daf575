import * as path from 'node:path';
import { BrowserReload, withStylesheets } from '../browser/browserReload';
import { realClock, type Clock } from '../kernel/clock';
import type { Builder } from '../languages';
import { ProcessHost } from '../processes/processHost';
import { isRemote, targetLabel, transportFor } from '../processes/transports';
import type { Settings } from '../settings/types';
import { Debugging } from '../debug/debugging';
import { createStrategy } from '../strategies/factory';
import { pageUrl } from '../strategies/publicAddress';
import type { RunStrategy } from '../strategies/strategy';
import { buildBeforeSave } from './intake/buildBeforeSave';
import { ChangeFeed } from './intake/changeFeed';
import { ChangeRouter } from './intake/changeRouter';
import { ReloadQueue, type PendingReload } from './intake/reloadQueue';
import type { Speculator } from './intake/speculator';
import { ArtifactStore } from './reload/artifacts';
import { Reloader } from './reload/reloader';
import { SourceSnapshot } from './reload/snapshot';
import { SessionReporter } from './report/reporter';
import { ProgramKeeper, type Redeploy } from './serving/keeper';
import { TargetWatch } from './serving/targetWatch';
import { VersionLauncher } from './serving/versionLauncher';
import type { SessionOptions, SessionParts } from './sessionParts';

/** The parts of one session, made and wired to each other. */
export interface SessionAssembly {
  clock: Clock;
  reporter: SessionReporter;
  /** Present when browser reload is on. */
  browser: BrowserReload | undefined;
  host: ProcessHost;
  snapshot: SourceSnapshot;
  /** With `debug`: the debuggers' address, and every version under the debug adapter. */
  debugging: Debugging | undefined;
  launcher: VersionLauncher;
  strategy: RunStrategy;
  keeper: ProgramKeeper;
  builder: Builder;
  speculator: Speculator | undefined;
  /** Why builds before the save are off, when they are. */
  speculationOff: string | undefined;
  queue: ReloadQueue;
  feed: ChangeFeed;
  targetWatch: TargetWatch | undefined;
  /** Queues a reload; a change drops a scheduled retry and starts crash counting over. Nothing once stopped. */
  enqueue(reload: PendingReload): void;
  /** Set when the session stops: parts that wait check it before going on. */
  readonly life: { stopped: boolean };
}

/** What the session itself does for its parts (the debug adapter's Stop and Restart buttons, a remote target back). */
export interface SessionControls {
  stop: () => void;
  restart: () => void;
}

/**
 * Makes a session's parts in the order they need each other: the reporter (everyone's voice),
 * where and how versions run (composeServing), the builder and builds before the save, how changes
 * come in (composeIntake), the reloader, the target watch. The links that point forward (the queue,
 * the keeper and the target watch reach the reloader; the feed reaches the router) are closures
 * called only once a change or an exit comes, after everything is made.
 */
export function composeSession(settings: Settings, parts: SessionParts, options: SessionOptions, controls: SessionControls): SessionAssembly {
  const clock = parts.clock ?? realClock;
  const { language } = parts;
  const life = { stopped: false };
  const name = executableName(settings);
  const reporter = new SessionReporter(clock);
  const browser = settings.browserReload ? new BrowserReload({ root: settings.root, editorScheme: options.editorScheme ?? 'vscode' }) : undefined;
  if (browser) reporter.events.on((event) => browser.follow(event));
  const snapshot = new SourceSnapshot(settings.workDir);
  const redeploy = (wanted: Redeploy) => void reloader.redeploy(wanted);
  const serving = composeServing({ settings, parts, options, controls }, { clock, reporter, browser }, redeploy);
  const { host, strategy, keeper } = serving;
  const builder = parts.builder ?? language.createBuilder(settings, host, options.buildGroup);
  const env = () => host.buildEnv(settings.buildEnv).catch(() => ({}));
  const speculation = buildBeforeSave({ settings, language, builder, strategy, name, env, clock });
  const speculator = 'speculator' in speculation ? speculation.speculator : undefined;
  const intake = composeIntake(settings, { clock, reporter, browser, snapshot, keeper, launcher: serving.launcher, builder, speculator, life }, () => reloader);
  const reloader: Reloader = new Reloader({
    settings,
    language,
    builder,
    strategy,
    store: new ArtifactStore(settings.workDir, name, clock),
    snapshot,
    keeper,
    reporter,
    queue: intake.queue,
    speculator,
    host,
    clock,
    watching: options.watch !== false,
    disposed: () => life.stopped,
    settle: (files) => intake.feed.settle(files),
    barrier: options.barrier,
  });
  const target = targetLabel(settings);
  const targetWatch =
    target && isRemote(settings) ? new TargetWatch({ host, label: target, clock, reporter, keeper, redeploy, restart: controls.restart }) : undefined;
  const speculationOff = 'off' in speculation ? speculation.off : undefined;
  return { clock, reporter, browser, snapshot, ...serving, builder, speculator, speculationOff, ...intake, targetWatch, life };
}

/** What a session is made from. */
interface SessionInputs {
  settings: Settings;
  parts: SessionParts;
  options: SessionOptions;
  controls: SessionControls;
}

/**
 * Where and how versions run: the host (this machine, or the target and this machine), the
 * debuggers, the launcher, the strategy, and the keeper, whose redeploys go to the reloader.
 */
function composeServing(
  { settings, parts, options, controls }: SessionInputs,
  { clock, reporter, browser }: Pick<SessionAssembly, 'clock' | 'reporter' | 'browser'>,
  redeploy: (wanted: Redeploy) => void,
): Pick<SessionAssembly, 'host' | 'debugging' | 'launcher' | 'strategy' | 'keeper'> {
  const { language } = parts;
  const log = (level: 'info' | 'warn' | 'error', message: string) => reporter.log(level, message);
  const host = new ProcessHost((message) => reporter.log('warn', message), transportFor(settings), isRemote(settings));
  const debugging = settings.debug ? new Debugging(settings, language, { log, stop: controls.stop, restart: controls.restart }) : undefined;
  const launcher = new VersionLauncher(settings, { language, host, reporter, debugging, color: options.color === true });
  const strategy =
    parts.strategy?.(launcher.launch, log) ??
    createStrategy(settings.strategy, { settings, language, launch: launcher.launch, log, host, pages: browser?.pages });
  const keeper = new ProgramKeeper({
    settings,
    clock,
    parseCrash: (output) => language.parseCrash(output, settings),
    targetLost: () => host.lost,
    judged: (verdict) => reporter.tell(verdict),
    redeploy,
  });
  const target = targetLabel(settings);
  reporter.viewFrom(() => ({ version: keeper.artifact?.version, pid: keeper.program?.pid, strategy: strategy.name, target, url: publicUrl(strategy) }));
  return { host, debugging, launcher, strategy, keeper };
}

/**
 * How changes come in: the change feed (watcher, debounce, snapshots) hands them to the router,
 * which sends what needs a build to the reload queue, whose reloads the reloader runs.
 */
function composeIntake(
  settings: Settings,
  made: Pick<SessionAssembly, 'clock' | 'reporter' | 'browser' | 'snapshot' | 'keeper' | 'launcher' | 'builder' | 'speculator' | 'life'>,
  reloader: () => Reloader,
): Pick<SessionAssembly, 'queue' | 'feed' | 'enqueue'> {
  const { clock, reporter, browser, snapshot, keeper, launcher, builder, speculator, life } = made;
  const queue = new ReloadQueue(
    settings.onBusyUpdate,
    (reload, running) => reloader().run(reload, running),
    (err) => reloader().failedUnexpectedly(err),
  );
  const enqueue = (reload: PendingReload) => {
    if (life.stopped) return;
    keeper.reset();
    queue.enqueue(reload);
  };
  const feed = new ChangeFeed({
    settings: browser ? { ...settings, extensions: withStylesheets(settings.extensions) } : settings,
    snapshot,
    clock,
    listener: (changes, firstEventAt, trigger) => router.route(changes, firstEventAt, trigger),
    log: (level, message) => reporter.log(level, message),
    rootBack: () => enqueue({ changes: new Map(), trigger: 'change', firstEventAt: clock.now(), force: true }),
    writers: () => (isRemote(settings) ? [] : launcher.runningPids()),
  });
  let extra = '';
  builder.onExtraInputs?.((files) => {
    feed.acceptAlso(files);
    const said = files.map((file) => path.relative(settings.root, file)).join(', ');
    if (said !== extra && files.length > 0)
      reporter.log('info', `watching ${files.length === 1 ? 'a file' : `${files.length} files`} the build reads besides the sources: ${said}`);
    extra = said;
  });
  builder.onNote?.((message) => reporter.log('info', message));
  const disposed = () => life.stopped;
  const router = new ChangeRouter({ root: settings.root, builder, snapshot, reporter, clock, browser, speculator, enqueue, disposed });
  return { queue, feed, enqueue };
}

/** Where a browser opens the program (through browser reload's proxy when it is on), once known. */
export function publicUrl(strategy: RunStrategy): string | undefined {
  const address = strategy.address;
  return address ? pageUrl(address) : undefined;
}

/** The executable's file name: the package's folder (or the module's), safe as a file name. */
function executableName(settings: Settings): string {
  const name = path.basename(settings.package === '.' || !settings.package ? settings.moduleRoot : settings.package) || 'app';
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'app';
}
