import type { Diagnostic } from '../../kernel/diagnostic';
import type { ChangedFile, PhaseTimings, ReloadTrigger } from '../../kernel/events';
import type { DeployResult } from '../../strategies/strategy';
import type { RedeployTrigger } from '../serving/exitVerdict';

/** The phases of a reload; the total is their sum. */
export type Phases = Omit<PhaseTimings, 'totalMs'>;

export const NO_PHASES: Phases = { detectMs: 0, buildMs: 0, stopMs: 0, startMs: 0 };

/** What started a reload, the files it was about, and how long each phase took. */
interface Reload {
  trigger: ReloadTrigger;
  changedFiles: ChangedFile[];
  phases: Phases;
}

/** How a version was made. */
export type Made =
  | 'built'
  /** Built from the editor's unsaved buffers before the save, and deployed as it was. */
  | 'before-save'
  /** A restart with no source changed: the running version's executable, started again. */
  | 'reused';

/**
 * How a reload ended, as one value: everything the report, the state, the diagnostics and the log
 * need is here (report/announcement.ts turns it into them). A reload of a change ends in one of the
 * first five; the keeper's start of a known version (rollback, retry, rerun) in one of the last two.
 */
export type ReloadResult =
  /** A new version serves. */
  | (Reload & {
      kind: 'deployed';
      outcome: Extract<DeployResult, { ok: true }>['outcome'];
      made: Made;
      /** Why the change was not updated in place, when the strategy tried. */
      notPatched?: string;
      /** The strategy's own note (a fallback it took, auto's choice). */
      note?: string;
    })
  /** The running process took the change in place: a new version, the same process. */
  | (Reload & {
      kind: 'patched';
      message: string;
      /** Why the process should now get a clean full deploy (old plugin code cannot be unloaded). */
      cleanRestart?: string;
    })
  /** A build failed (a pre-build command, the program's, the strategy's beside it, an in-place update's): nothing new runs. */
  | (Reload & {
      kind: 'build-failed';
      message: string;
      diagnostics: Diagnostic[];
      /** The build's output, shown as it came when no diagnostic was parsed from it. */
      output?: string;
      /** The version still serving, if one does. */
      serving: number | undefined;
    })
  /** The new version did not start: what served before serves on (a rollback), or nothing does (a crash). */
  | (Reload & {
      kind: 'start-failed';
      /** The version that failed to start, and the one before it. */
      version: number;
      previous: number | undefined;
      message: string;
      notPatched?: string;
      /** Where to look: the crash parsed from its output, or the setup mistake's line. */
      diagnostic: Diagnostic | undefined;
      /** Whether the version before it still serves. */
      serving: boolean;
      /** A few words for the status bar when "crashed" would mislead ("port 8080 in use"). */
      headline?: string;
    })
  /** Built, but not switched to: another service of the same transaction failed (a system's services switch together or not at all). */
  | (Reload & {
      kind: 'held';
      version: number;
      why: string;
      /** The version still serving, if one does. */
      serving: number | undefined;
    })
  /** Abandoned (a newer change, the session stopping): nothing is said, and its files belong to the next reload. */
  | { kind: 'cancelled' }
  /** The keeper started a known version again. */
  | { kind: 'redeployed'; trigger: RedeployTrigger; version: number; why: string; startMs: number }
  | { kind: 'redeploy-failed'; trigger: RedeployTrigger; version: number; message: string; startMs: number };
