import type { Diagnostic } from '../kernel/diagnostic';
import type { BuildProgress } from '../kernel/events';
import type { BackgroundPriority } from '../processes/backgroundPriority';

export type BuildOutcome =
  { kind: 'ok'; file: string; output: string } | { kind: 'failed'; diagnostics: Diagnostic[]; output: string; message: string } | { kind: 'cancelled' };

export interface BuildOptions {
  /** On top of the build's own environment (GOOS and GOARCH for a remote target). */
  env?: Record<string, string>;
  /** Files to build from other contents than the disk's (unsaved editor buffers), by absolute path. */
  overlay?: ReadonlyMap<string, Buffer>;
  /** A build nobody waits for yet: at the lowest CPU priority (which this can raise later), so that it never slows real work. */
  background?: BackgroundPriority;
  /** Told how far the build is, for builders that can tell (Go: modules downloading, packages compiled). */
  onProgress?: (progress: BuildProgress) => void;
}

/** Turns sources into an executable at `outFile`, or into diagnostics. */
export interface Builder {
  build(outFile: string, signal: AbortSignal, options?: BuildOptions): Promise<BuildOutcome>;
  /** Whether `build` takes an overlay (absent: it does not; a build command the engine does not know cannot). */
  readonly overlays?: boolean;
  /** What it runs, for the log at the session's start. */
  describe(): string;
  /**
   * Whether a change to this file can change what it builds (a source its last good build read, or
   * a file it cannot judge). Absent: every file the watch settings accept.
   */
  watches?(file: string): boolean;
  /**
   * Calls `listener` with the files its good builds read besides what the watch settings accept
   * (a Go program's `//go:embed` files): they are watched too, whatever their extension.
   */
  onExtraInputs?(listener: (files: readonly string[]) => void): void;
  /** The session starts: work the first build needs may begin beside the rest of the start (nothing runs before). */
  prepare?(): void;
  /** Told of the files of each change before it is queued (the Go builder checks whether they bring in a package that needs cgo). */
  changed?(files: readonly string[]): void;
  /** Calls `listener` with what is worth a line in the session's log (a choice the builder made). */
  onNote?(listener: (message: string) => void): void;
  /** Stops what it keeps running between builds. */
  dispose?(): Promise<void>;
}

/**
 * Builds of several programs of one language that may run as one invocation (Go: one `go build -o
 * dir/` for several main packages, so shared packages compile once). A system makes one per
 * language and tells it how many of its services' builds are still to come in the open
 * transaction: the group waits for them all, then runs them together.
 */
export interface BuildGroup {
  /** How many builds the open transaction still expects; 0 or 1: each build runs alone, at once. */
  expect(count: number): void;
}
