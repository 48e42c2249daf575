import type { Diagnostic } from './diagnostic';

/** The run strategies a session can deploy with (the setting adds "auto", which picks one). */
export const STRATEGY_NAMES = ['restart', 'handoff', 'proxy', 'patch'] as const;
export type Strategy = (typeof STRATEGY_NAMES)[number];

/**
 * The engine's typed event stream. Front ends (CLI, language server) render
 * these and nothing else; the engine never knows who listens.
 */
export type SessionState =
  /** Nothing runs yet, or the program exited by itself with status 0. */
  | 'idle'
  | 'building'
  | 'starting'
  | 'running'
  /** The last build failed; the previous version (if any) still serves. */
  | 'failed'
  /** The program died and nothing serves. */
  | 'crashed'
  /** The session was stopped by the user. */
  | 'stopped';

/** What started a reload: `retry` starts a version again after it crashed on start, with nothing to roll back to. */
export type ReloadTrigger = 'start' | 'change' | 'save' | 'manual' | 'rerun' | 'rollback' | 'retry';

type ChangeKind = 'create' | 'update' | 'delete';

export interface ChangedFile {
  /** Absolute path. */
  path: string;
  kind: ChangeKind;
  /** Lines added and removed against the version before, when known. */
  added?: number;
  removed?: number;
}

export interface PhaseTimings {
  /** From the first file event (or save) to the start of the build: debounce and content checks. */
  detectMs: number;
  buildMs: number;
  /** Stopping the old version (restart) or draining it (handoff, proxy). */
  stopMs: number;
  /** From spawning the new version to it being up (alive, or ready where readiness is known). */
  startMs: number;
  totalMs: number;
}

export type ReloadOutcome =
  /** The first version started. */
  | 'started'
  | 'restarted'
  /** Zero-downtime switch to the new version. */
  | 'handed-off'
  /** New logic loaded into the live process. */
  | 'patched'
  | 'build-failed'
  /** The new version died on start; the last good version serves again. */
  | 'rolled-back'
  /** The new version died on start and there was nothing to roll back to. */
  | 'crashed'
  /** A newer change arrived during the build; the build was abandoned. */
  | 'cancelled';

export interface ReloadReport {
  /** The version now serving (the new one when it worked). */
  version: number;
  trigger: ReloadTrigger;
  changedFiles: ChangedFile[];
  phases: PhaseTimings;
  outcome: ReloadOutcome;
  strategy: Strategy;
  /** Pid of the process serving after the reload. */
  pid?: number;
  /** Why, for failures, fallbacks and rollbacks, in a sentence. */
  message?: string;
  /** Wall-clock time the reload finished (ms since epoch). */
  finishedAt: number;
  /** The build was made from the editor's unsaved buffers before the save, and deployed as it was. */
  builtBeforeSave?: boolean;
  /** A restart with no source changed since the running version was built: its executable started again, no build. */
  unchangedSources?: boolean;
}

export interface StateEvent {
  type: 'state';
  state: SessionState;
  /** The version serving, if any. */
  version?: number;
  pid?: number;
  strategy?: Strategy;
  /** Where the program runs when not on this machine: a container's name, an SSH host. */
  target?: string;
  /** Where a browser opens the program (browser reload's proxy when it is on), once known. */
  url?: string;
  /** A short human sentence: why it failed, what it is waiting for. */
  detail?: string;
  /** A few words for the status bar when the state's name would mislead ("port 8080 in use", not "crashed"). */
  headline?: string;
  /** Error count of the current diagnostics. */
  errorCount: number;
  /** When the last reload finished (ms since epoch), how it ended and how long it took (ms, first event to serving). */
  lastReloadAt?: number;
  lastOutcome?: ReloadOutcome;
  lastReloadMs?: number;
}

interface ReloadEvent {
  type: 'reload';
  report: ReloadReport;
}

interface DiagnosticsEvent {
  type: 'diagnostics';
  /** The complete current set: it replaces whatever was shown before. */
  diagnostics: Diagnostic[];
}

interface OutputEvent {
  type: 'output';
  stream: 'stdout' | 'stderr';
  data: string;
  /** Which version printed it. */
  version: number;
}

/**
 * A version crashed on start and the last good one serves again: said once that version's own
 * start-up output (a framework's banner) has gone quiet, so the crash stays in view below it.
 */
export interface CrashSummaryEvent {
  type: 'crash-summary';
  /** The version that crashed on start. */
  crashed: number;
  /** The version serving again. */
  serving: number;
  /** How it ended: "exited with status 2", "was killed by SIGSEGV". */
  how: string;
  /** The crash's first line ("panic: boom"), when its output had one. */
  message?: string;
  /** The crash site (the first frame in the user's code), when the output had a trace. */
  location?: { file: string; line: number; column: number };
}

interface LogEvent {
  type: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** How far a slow build is, from the build tool's own output (a fast build says nothing). */
export interface BuildProgress {
  /** `done` ends it: the build finished, failed or was cancelled. */
  phase: 'downloading' | 'compiling' | 'done';
  /** Modules downloading, or packages compiled, so far. */
  count: number;
  /** Packages the build needs, once counted. */
  total?: number;
  /** The line front ends show: "downloading 3 modules", "compiling 12 of 187 packages". */
  message: string;
}

interface ProgressEvent {
  type: 'progress';
  progress: BuildProgress;
}

export type EngineEvent = StateEvent | ReloadEvent | DiagnosticsEvent | OutputEvent | CrashSummaryEvent | LogEvent | ProgressEvent;
