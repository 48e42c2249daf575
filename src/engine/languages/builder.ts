import type { Diagnostic } from '../kernel/diagnostic';

export type BuildOutcome =
  { kind: 'ok'; file: string; output: string } | { kind: 'failed'; diagnostics: Diagnostic[]; output: string; message: string } | { kind: 'cancelled' };

/** Turns sources into an executable at `outFile`, or into diagnostics. */
export interface Builder {
  build(outFile: string, signal: AbortSignal): Promise<BuildOutcome>;
  /** What it runs, for the log at the session's start. */
  describe(): string;
}
