import type { Clock } from '../kernel/clock';
import type { Builder, BuildGroup, Language } from '../languages';
import type { DeployBarrier } from './reload/barrier';
import type { RunStrategy } from '../strategies/strategy';
import type { VersionLauncher } from './serving/versionLauncher';

export interface SessionOptions {
  /** Programs keep colour although their output is piped (the front end renders ANSI). */
  color?: boolean;
  /** Watch the tree (default). Off for one-shot runs driven only by explicit reloads. */
  watch?: boolean;
  /** The editor's URL scheme, for the links to errors in pages ("vscode" by default). */
  editorScheme?: string;
  /** A service of a system: its reloads wait here between build and deploy, to switch with the others. */
  barrier?: DeployBarrier;
  /** A service of a system: the language's builds shared with its other services (one go build for several mains). */
  buildGroup?: BuildGroup;
}

/** Starts a version of the program; every strategy starts versions through this. */
type Launch = VersionLauncher['launch'];

/** What a session is made of; tests replace the builder and the strategy with fakes, and the clock with one they move. */
export interface SessionParts {
  language: Language;
  /** The real clock by default. */
  clock?: Clock;
  builder?: Builder;
  /** Makes the run strategy; it gets the session's way to start a version of the program. */
  strategy?: (launch: Launch, log: (level: 'info' | 'warn' | 'error', message: string) => void) => RunStrategy;
}
