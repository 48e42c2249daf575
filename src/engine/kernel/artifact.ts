/** A built executable, never overwritten: each build writes a new one. */
export interface Artifact {
  /** Counts successful builds (and in-place updates) in this session: what the user sees as v1, v2, … */
  version: number;
  path: string;
  builtAt: number;
}
