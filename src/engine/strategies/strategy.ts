/**
 * A run strategy turns a good artifact into a serving process. Strategies differ in how the old
 * version gives way: restart stops it first, handoff and proxy only after the new one is ready.
 * A strategy may also update the running process in place (live patching): that capability is
 * `inPlace`, and the session knows nothing else about it.
 */
import type { Artifact } from '../kernel/artifact';
import type { Diagnostic } from '../kernel/diagnostic';
import type { ChangedFile, ReloadOutcome } from '../kernel/events';
import type { Program, SupervisedProgram } from '../processes/program';
import type { ListenAddress } from '../settings/listenAddress';
import type { Strategy } from '../settings/types';

/** Starts a version of the program with whatever extra environment and fds a strategy needs. */
export type Launch = (artifact: Artifact, extra?: LaunchExtras) => Promise<SupervisedProgram>;

export type LogFn = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface LaunchExtras {
  env?: Record<string, string>;
  /** Listening sockets the supervisor holds, passed as fds 3, 4, … (by the name they were opened with). */
  listeners?: string[];
  /** Notify and control pipes after the listeners. */
  channels?: boolean;
  /** LISTEN_PID set to the program's own pid (socket activation). */
  listenPid?: boolean;
}

export type DeployResult =
  | {
      ok: true;
      program: Program;
      outcome: Extract<ReloadOutcome, 'started' | 'restarted' | 'handed-off'>;
      stopMs: number;
      startMs: number;
      /** Set when the strategy fell back to another one, and why. */
      note?: string;
    }
  | {
      ok: false;
      /** Why the new version is not serving; the previous one, if any, still is. */
      message: string;
      /** The output of the failed version, for a crash diagnostic. */
      output: string;
      /**
       * Not a crash but a mistake in how the program is set up (it listens on a port of its own):
       * a few words for the status bar, and the port its sources may name, for Problems.
       */
      problem?: { headline: string; port?: number };
      stopMs: number;
      startMs: number;
    };

/** Work a strategy does beside each full build (building plugins), bound to the version it serves. */
export type Preparation =
  | { kind: 'ok'; /** Ties what was prepared to the version about to be deployed. */ bind(version: number): void }
  | { kind: 'failed'; diagnostics: Diagnostic[]; message: string }
  | { kind: 'cancelled' };

/** What an in-place update needs: the parts of the program a change touches. */
export interface InPlacePlan {
  readonly what: string;
}

export type InPlaceOutcome =
  | { kind: 'updated'; buildMs: number; loadMs: number; /** For the report: what changed where. */ message: string }
  | { kind: 'build-failed'; diagnostics: Diagnostic[]; message: string; buildMs: number }
  | { kind: 'cancelled' }
  /** Not possible for this change or this process: a full build and deploy follow. */
  | { kind: 'fallback'; reason: string };

/** Updating the running process without replacing it, keeping its state. */
export interface InPlaceUpdates {
  /** What a change would update in place, or why it cannot be. */
  plan(changes: ChangedFile[], current: Program): InPlacePlan | { fallback: string };
  /** Builds the update and loads it into `current`, which then serves as `version`. */
  apply(plan: InPlacePlan, current: Program, version: number, signal: AbortSignal): Promise<InPlaceOutcome>;
  /** Why `current` should now get a clean full deploy instead of more updates, if it should. */
  cleanRestartReason(current: Program): string | undefined;
}

export interface RunStrategy {
  readonly name: Strategy;
  deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult>;
  /** Present when the strategy can update the running process in place. */
  readonly inPlace?: InPlaceUpdates;
  /** Work to run beside each full build; its failure fails the build. */
  prepare?(signal: AbortSignal): Promise<Preparation>;
  /** What the log should say when the session starts. */
  startNotes?(): { level: 'info' | 'warn'; message: string }[];
  /** Where clients reach the program (the public address), once known; host "" is every interface. */
  readonly address?: ListenAddress;
  /** Stops whatever the strategy holds besides the program (sockets, proxies). */
  dispose(): Promise<void>;
}
