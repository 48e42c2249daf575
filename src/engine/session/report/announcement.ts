import type { Diagnostic } from '../../kernel/diagnostic';
import type { ChangedFile, ReloadOutcome, ReloadReport, ReloadTrigger, SessionState } from '../../kernel/events';
import { NO_PHASES, type Phases, type ReloadResult } from '../reload/result';
import type { ExitVerdict } from '../serving/exitVerdict';
import type { CrashOnStart } from './crashNotice';

/** What the session says about how something ended, in the order it is said. */
export interface Announcement {
  /** Replaces the current diagnostics (absent: they stay as they are). */
  diagnostics?: Diagnostic[];
  logs: { level: 'info' | 'warn' | 'error'; message: string }[];
  report?: ReportFacts;
  /** A crash on start whose summary follows the rollback's start-up output. */
  crashOnStart?: CrashOnStart;
  state: { state: SessionState; detail?: string; headline?: string };
}

/** A reload report, less what the reporter knows itself (strategy, pid, when). */
export interface ReportFacts extends Pick<ReloadReport, 'builtBeforeSave' | 'unchangedSources'> {
  trigger: ReloadTrigger;
  changedFiles: ChangedFile[];
  phases: Phases;
  outcome: ReloadOutcome;
  message?: string;
  /** The version serving after it; the one the state shows when absent. */
  version?: number;
}

/** Everything there is to say: a reload's result or the keeper's verdict on an exit. */
export type Outcome = Exclude<ReloadResult, { kind: 'cancelled' }> | ExitVerdict;

/** How an outcome is said: the one place that decides the report, the state, the diagnostics and the log lines. */
export function announcementOf(outcome: Outcome): Announcement {
  switch (outcome.kind) {
    case 'deployed': {
      const { trigger, changedFiles, phases, made } = outcome;
      const message = [outcome.notPatched, outcome.note].filter(Boolean).join('; ') || undefined;
      const details = made === 'before-save' ? { builtBeforeSave: true } : made === 'reused' ? { unchangedSources: true } : { builtBeforeSave: false };
      return {
        logs: outcome.note ? [{ level: 'info', message: outcome.note }] : [],
        report: { trigger, changedFiles, phases, outcome: outcome.outcome, message, ...details },
        state: { state: 'running' },
      };
    }
    case 'patched': {
      const { trigger, changedFiles, phases, message } = outcome;
      return { diagnostics: [], logs: [], report: { trigger, changedFiles, phases, outcome: 'patched', message }, state: { state: 'running' } };
    }
    case 'build-failed': {
      const { trigger, changedFiles, phases, diagnostics } = outcome;
      const message = `${outcome.message}${outcome.serving !== undefined ? `; v${outcome.serving} still serving` : ''}`;
      // Diagnostics say what is wrong; output that parsed into none is shown as it came.
      const output = diagnostics.length === 0 ? outcome.output?.trim() : undefined;
      return {
        diagnostics,
        logs: output ? [{ level: 'error', message: output }] : [],
        report: { trigger, changedFiles, phases, outcome: 'build-failed', message },
        state: { state: 'failed', detail: message },
      };
    }
    case 'held':
      return heldAnnouncement(outcome);
    case 'start-failed': {
      const { trigger, changedFiles, phases, version, serving } = outcome;
      const failed = `v${version} failed to start: ${outcome.message}`;
      return {
        diagnostics: outcome.diagnostic ? [outcome.diagnostic] : [],
        logs: [{ level: 'error', message: failed }],
        report: {
          trigger,
          changedFiles,
          phases,
          outcome: serving ? 'rolled-back' : 'crashed',
          message: [outcome.notPatched, outcome.message].filter(Boolean).join('; '),
          version: outcome.previous ?? version,
        },
        state: serving ? { state: 'running', detail: failed } : { state: 'crashed', detail: failed, headline: outcome.headline },
      };
    }
    case 'redeployed':
    case 'redeploy-failed':
      return redeployAnnouncement(outcome);
    case 'crashed-on-start':
    case 'exited':
      return exitAnnouncement(outcome);
  }
}

/** Built, but another service of the same change failed: what serves keeps serving. */
function heldAnnouncement(outcome: Extract<Outcome, { kind: 'held' }>): Announcement {
  const { trigger, changedFiles, phases } = outcome;
  const message = `v${outcome.version} built but not switched to: ${outcome.why}${outcome.serving !== undefined ? `; v${outcome.serving} still serving` : ''}`;
  return {
    logs: [{ level: 'warn', message }],
    report: { trigger, changedFiles, phases, outcome: 'build-failed', message, version: outcome.serving },
    state: { state: outcome.serving !== undefined ? 'running' : 'failed', detail: message },
  };
}

function redeployAnnouncement(outcome: Extract<Outcome, { kind: 'redeployed' | 'redeploy-failed' }>): Announcement {
  const { trigger, version } = outcome;
  const report = { trigger, changedFiles: [], phases: { ...NO_PHASES, startMs: outcome.startMs }, version };
  if (outcome.kind === 'redeploy-failed')
    return {
      logs: [],
      report: { ...report, outcome: 'crashed', message: outcome.message },
      state: { state: 'crashed', detail: `cannot start v${version}: ${outcome.message}` },
    };
  const { why } = outcome;
  if (trigger === 'rollback')
    return {
      logs: [],
      report: { ...report, outcome: 'rolled-back', message: `${why}; v${version} serves again` },
      state: { state: 'running', detail: `rolled back to v${version}: ${why}` },
    };
  // A retry starts the version that crashed once more (no good one to go back to); a rerun, one that exited.
  return {
    logs: [],
    report: { ...report, outcome: 'restarted', message: trigger === 'retry' ? `started v${version} again after: ${why}` : why },
    state: { state: 'running', detail: trigger === 'retry' ? `v${version} started again after it crashed on start` : undefined },
  };
}

function exitAnnouncement(verdict: ExitVerdict): Announcement {
  const diagnostics = verdict.diagnostic ? { diagnostics: [verdict.diagnostic] } : {};
  const { version } = verdict;
  if (verdict.kind === 'exited') {
    const again = verdict.rerun ? '' : '; save a change to run it again';
    return verdict.status === 0
      ? {
          ...diagnostics,
          logs: [{ level: 'info', message: `v${version} exited (status 0)` }],
          state: { state: 'idle', detail: `v${version} exited with status 0${again}` },
        }
      : {
          ...diagnostics,
          logs: [{ level: 'error', message: `v${version} ${verdict.how}` }],
          state: { state: 'crashed', detail: `v${version} ${verdict.how}${again}` },
        };
  }
  const { why, next } = verdict;
  const logs = [{ level: 'error' as const, message: why }];
  // Nothing serves now; a report says so unless the last good version is on its way back.
  const crashed: ReportFacts = { trigger: 'rollback', changedFiles: [], phases: NO_PHASES, outcome: 'crashed', message: why, version };
  if (next.kind === 'give-up')
    return {
      ...diagnostics,
      logs,
      report: crashed,
      state: { state: 'crashed', detail: `${why}; gave up after ${verdict.attempts} attempts: save a change or restart to try again` },
    };
  if (next.kind === 'retry')
    return { ...diagnostics, logs, report: crashed, state: { state: 'crashed', detail: `${why}; retrying in ${next.delayMs / 1000}s` } };
  return {
    ...diagnostics,
    logs,
    ...(next.rollback ? { crashOnStart: { crashed: version, serving: next.target, how: verdict.how, diagnostic: verdict.diagnostic } } : {}),
    state: {
      state: 'crashed',
      detail: next.delayMs ? `${why}; starting v${next.target} in ${next.delayMs / 1000}s` : `${why}; starting v${next.target} again`,
    },
  };
}
