import type { Clock } from '../../kernel/clock';
import type { ChangedFile, ReloadTrigger } from '../../kernel/events';
import type { Builder, Language } from '../../languages';
import type { ProcessHost } from '../../processes/processHost';
import type { Settings } from '../../settings/types';
import type { RunStrategy } from '../../strategies/strategy';
import type { PendingReload, ReloadQueue, RunningReload } from '../intake/reloadQueue';
import type { Speculator } from '../intake/speculator';
import type { SessionReporter } from '../report/reporter';
import type { ProgramKeeper } from '../serving/keeper';
import type { ArtifactStore } from './artifacts';
import type { DeployBarrier } from './barrier';
import { NO_PHASES, type Phases } from './result';
import type { SourceSnapshot } from './snapshot';

/** The parts a reload works with. */
export interface ReloadParts {
  settings: Settings;
  language: Language;
  builder: Builder;
  strategy: RunStrategy;
  store: ArtifactStore;
  snapshot: SourceSnapshot;
  keeper: ProgramKeeper;
  reporter: SessionReporter;
  queue: ReloadQueue;
  /** Builds made before the save, when the session makes them. */
  speculator: Speculator | undefined;
  host: ProcessHost;
  clock: Clock;
  /** Reads the changed files again as the build starts: what it records as built is what the compiler reads. */
  settle(files: string[]): Promise<void>;
  /** Whether the watcher follows the tree (so the snapshot knows every change). */
  watching: boolean;
  disposed(): boolean;
  /** A system's transaction, between build and deploy; absent for a session alone. */
  barrier?: DeployBarrier;
}

/** One reload under way, as it knows itself once begun. */
export interface ReloadRun {
  reload: PendingReload;
  running: RunningReload;
  /** When its build phase began (the clock's ms). */
  startedAt: number;
  /** From its first file event to the start of the build. */
  detectMs: number;
  /** The files it is about: the changes, or for a restart what differs from the running version. */
  changedFiles: ChangedFile[];
  /** The sources it builds from, marked as the running version's once a build of them is good. */
  sources: Map<string, string | null>;
  /** For a restart: what differs from the running version's sources (no event said it). */
  differing: ChangedFile[];
}

/** Records the sources a good build was made from; the changed files gain their +/- line counts. */
export function markBuilt(snapshot: SourceSnapshot, run: ReloadRun): ChangedFile[] {
  const stats = new Map(snapshot.markBuilt(run.sources).map((c) => [c.path, c]));
  return run.changedFiles.map((c) => ({ ...c, added: stats.get(c.path)?.added, removed: stats.get(c.path)?.removed }));
}

/** What every result of this reload says about it: its trigger, its files, its phases up to the build. */
export function reloadOf(run: ReloadRun, buildMs: number): { trigger: ReloadTrigger; changedFiles: ChangedFile[]; phases: Phases } {
  return { trigger: run.reload.trigger, changedFiles: run.changedFiles, phases: { ...NO_PHASES, detectMs: run.detectMs, buildMs } };
}
