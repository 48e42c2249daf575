import type { Diagnostic } from '../kernel/diagnostic';

export type BuildOutcome =
  { kind: 'ok'; file: string; output: string } | { kind: 'failed'; diagnostics: Diagnostic[]; output: string; message: string } | { kind: 'cancelled' };

/** Turns sources into an executable at `outFile`, or into diagnostics. */
export interface Builder {
  /** `env` goes on top of the build's own environment (GOOS and GOARCH for a remote target). */
  build(outFile: string, signal: AbortSignal, env?: Record<string, string>): Promise<BuildOutcome>;
  /** What it runs, for the log. */
  describe(): string;
  /**
   * Whether a change to this file can change what it builds (a source its last good build read, or
   * a file it cannot judge). Absent: every file the watch settings accept.
   */
  watches?(file: string): boolean;
  /** Stops what it keeps running between builds. */
  dispose?(): Promise<void>;
}
