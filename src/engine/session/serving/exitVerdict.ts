import type { Artifact } from '../../kernel/artifact';
import type { Diagnostic } from '../../kernel/diagnostic';
import { describeExit, type ProgramExit } from '../../kernel/exits';

/** Backoff before starting again a version that keeps crashing on start. */
export const CRASH_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000];

export type RedeployTrigger = 'rollback' | 'retry' | 'rerun';

/** What the keeper makes of the serving version's exit; report/announcement.ts says it. */
export type ExitVerdict =
  /** It died within the crash window. */
  | {
      kind: 'crashed-on-start';
      version: number;
      /** "exited with status 2", "was killed by SIGSEGV". */
      how: string;
      diagnostic: Diagnostic | undefined;
      /** "v2 crashed on start (exited with status 2): panic: boom" */
      why: string;
      /** Crashes on start in a row, this one included. */
      attempts: number;
      next:
        | { kind: 'give-up' }
        /** No good version to go back to: the same one again, after a backoff. */
        | { kind: 'retry'; delayMs: number }
        /** The last good version starts (again): a rollback when it is another one than the crashed. */
        | { kind: 'restore'; target: number; rollback: boolean; delayMs: number };
    }
  /** It ran for a while, then exited by itself. */
  | { kind: 'exited'; version: number; how: string; diagnostic: Diagnostic | undefined; status: number | null; rerun: boolean };

export interface ExitFacts {
  artifact: Artifact;
  exit: ProgramExit;
  /** How long it ran (debugger pauses left out). */
  livedMs: number;
  crashWindowMs: number;
  /** The last version that outlived its crash window (or was replaced on purpose while it served). */
  lastGood: Artifact | undefined;
  /** Crashes on start in a row before this one. */
  crashCount: number;
  diagnostic: Diagnostic | undefined;
  rerun: boolean;
}

/**
 * A version that dies within the crash window is replaced by the last good one at once (backoff
 * when that one crashed too), or, with none, retried with backoff (1 to 16 s) and then given up
 * on until the next change; one that exits later is rerun when `rerun` says so.
 */
export function judgeExit(facts: ExitFacts): ExitVerdict {
  const { artifact, diagnostic } = facts;
  const how = describeExit(facts.exit);
  if (facts.livedMs >= facts.crashWindowMs) return { kind: 'exited', version: artifact.version, how, diagnostic, status: facts.exit.code, rerun: facts.rerun };
  const attempts = facts.crashCount + 1;
  const why = `v${artifact.version} crashed on start (${how})${diagnostic ? `: ${diagnostic.message.split('\n')[0]}` : ''}`;
  const lastGood = facts.lastGood;
  const rollback = lastGood !== undefined && lastGood.version !== artifact.version;
  const delayMs = !rollback || attempts > 1 ? CRASH_BACKOFF_MS[attempts - 1] : 0;
  const verdict = { kind: 'crashed-on-start' as const, version: artifact.version, how, diagnostic, why, attempts };
  if (delayMs === undefined) return { ...verdict, next: { kind: 'give-up' } };
  if (!lastGood) return { ...verdict, next: { kind: 'retry', delayMs } };
  return { ...verdict, next: { kind: 'restore', target: lastGood.version, rollback, delayMs } };
}
