import type { Strategy } from '../config/settings';
import type { Artifact } from '../build/artifacts';
import type { ExtraStdio, ProgramProcess } from './program';

/** Starts a version of the program with whatever extra environment and fds a strategy needs. */
export type Launch = (artifact: Artifact, extra?: LaunchExtras) => Promise<ProgramProcess>;

export interface LaunchExtras {
  env?: Record<string, string>;
  /** Extra stdio entries, fd 3 onwards. */
  stdio?: ExtraStdio[];
}

export type DeployResult =
  | {
      ok: true;
      program: ProgramProcess;
      outcome: 'started' | 'restarted' | 'handed-off' | 'patched';
      stopMs: number;
      startMs: number;
      /** Set when the strategy fell back to another one, and why. */
      note?: string;
    }
  | {
      ok: false;
      /** Why the new version is not serving; the previous one, if any, still is. */
      message: string;
      /** The output of the failed version, for a panic diagnostic. */
      output: string;
      stopMs: number;
      startMs: number;
    };

/**
 * Turns a good artifact into a serving process. Strategies differ in how the
 * old version gives way: restart stops it first, handoff and proxy only after
 * the new one is ready, patch keeps the process and swaps its logic.
 */
export interface RunStrategy {
  readonly name: Strategy;
  deploy(artifact: Artifact, current: ProgramProcess | undefined): Promise<DeployResult>;
  /** Stops whatever the strategy holds besides the program (sockets, proxies). */
  dispose(): Promise<void>;
}
