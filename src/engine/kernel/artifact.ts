/** A built executable, never overwritten: each build writes a new one. */
export interface Artifact {
  /** Counts successful builds (and in-place updates) in this session: what the user sees as v1, v2, … */
  version: number;
  path: string;
  builtAt: number;
  /** The executable of an earlier version with new logic loaded into its process: starting it again would not run that logic. */
  updatedInPlace?: boolean;
}
