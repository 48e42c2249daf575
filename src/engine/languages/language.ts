/**
 * A language is what the engine needs to know about one kind of program: how to find what to run
 * in a folder, how to build it, how to read its build errors and crashes, whether it speaks the
 * handoff protocol, and how to build an in-place patch. The session and the strategies see only
 * this interface; each language folder has one, made by its row of the registry (registry.ts).
 */
import type { ChangedFile } from '../kernel/events';
import type { Diagnostic } from '../kernel/diagnostic';
import type { ConfigProblem, LanguageId, SettingKey, Settings } from '../settings/types';
import type { ProcessHost } from '../processes/processHost';
import type { Builder, BuildGroup } from './builder';

/** Something a folder could run, for Select Target. */
export interface TargetInfo {
  /** How the user sees it ("./cmd/api", "src/server.ts"). */
  package: string;
  /** A longer description (the Go import path; where a Node entry was found). */
  importPath: string;
  language: LanguageId;
  /** The settings that select it, for a front end to remember and send back (`{ language: 'node', entry: 'src/server.ts' }`). */
  settings: { language: LanguageId; package?: string; entry?: string; command?: string };
}

/** How a built artifact is run: the executable and its arguments (the program's own at the end). */
export interface RunCommand {
  path: string;
  args: string[];
  /** Where it runs, when not the `cwd` setting (a Node run command runs in the built tree). */
  cwd?: string;
  /** Environment on top of the program's (PATH with node_modules/.bin, NODE_OPTIONS). */
  env?: Record<string, string>;
}

export interface ResolveTargetOptions {
  /** Which settings a layer set explicitly (the rest are defaults). */
  explicit: ReadonlySet<SettingKey>;
  /** How the layer that set a key is named in problems. */
  sourceOf(key: SettingKey): string;
  /** The language's toolchain command (tests), its environment and time limit for discovery. */
  toolchain?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Whether the program speaks the handoff protocol (it imports the helper library). */
export interface Detection {
  /** true: it does; false: it does not; undefined: unknown. */
  usesLibrary: boolean | undefined;
  /** Why it is unknown (the tool failed, timed out). */
  problem?: string;
}

/** A piece of reloadable logic the running program loads by name (a Go plugin folder). */
export interface PatchUnit {
  /** The slot the program declares for it. */
  slot: string;
  /** Absolute path of its folder. */
  dir: string;
}

export type PatchBuild = { kind: 'ok'; files: Map<string, string> } | { kind: 'failed'; diagnostics: Diagnostic[]; message: string } | { kind: 'cancelled' };

/** Builds in-place patches: the units a change touches, each built into a file the program loads. */
export interface Patcher {
  /** What it patches, for the log when the session starts. */
  describe(): string;
  /** A unit in a sentence ("plugin rules", "the new version"), for why it failed to load. */
  unitName(slot: string): string;
  /** Why patching cannot work on this machine at all, if it cannot. */
  readonly unsupported: string | undefined;
  /** Every unit, for a full start. */
  readonly units: readonly PatchUnit[];
  /** The units a change touches, or why it cannot be patched. */
  plan(changes: ChangedFile[]): { units: PatchUnit[] } | { reason: string };
  build(units: readonly PatchUnit[], signal: AbortSignal): Promise<PatchBuild>;
  /** Deletes built patches no longer loaded anywhere. */
  prune(keep: ReadonlySet<string>): void;
}

/** The program the adapter is asked to run, as the session would run it without one. */
export interface DebuggedRun {
  executable: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

/** How this language's programs run under a debug adapter (DAP) that dials the engine. */
export interface DebugAdapter {
  /** Its name, for messages ("Delve"). */
  readonly name: string;
  /** The DAP `adapterID` it is initialized with (the type of debugger: "go" for Delve). */
  readonly adapterId: string;
  /** The adapter's executable, or the problem that says how to install it. */
  find(settings: Settings, host?: ProcessHost): Promise<string | ConfigProblem>;
  /** Its command line: it dials `clientAddress` ("unix:/path") and speaks DAP there. */
  args(clientAddress: string): string[];
  /** Environment for the adapter process itself, on top of the program's. */
  readonly env: Record<string, string>;
  /** The DAP launch request's arguments that run one version under it. */
  launchArguments(run: DebuggedRun): Record<string, unknown>;
  /** What the log says when a debug session starts (build flags, what to expect). */
  startNotes(settings: Settings): string[];
}

/** How a language reads unsaved editor buffers, for builds made before the save. */
export interface EditorBuffers {
  /** Globs (an editor's document selector) of the files whose unsaved text a build reads. */
  readonly globs: readonly string[];
  accepts(file: string): boolean;
  /** The text a format-on-save would write (Go: gofmt's), or undefined when it cannot be formatted. */
  format(file: string, content: Buffer, signal: AbortSignal): Promise<Buffer | undefined>;
}

export interface Language {
  readonly id: LanguageId;
  /** "Go", for messages. */
  readonly name: string;
  /** The import the handoff protocol is detected by, for messages. */
  readonly handoffLibrary: string;
  /** How a program of this language tells the engine it serves, for the message when one does not. */
  readonly readyHint: string;
  /** Fills in what to build and run (module root, package), or says why it cannot. */
  resolveTarget(settings: Settings, options: ResolveTargetOptions): Promise<ConfigProblem[]>;
  /** What could be run in a folder, for Select Target. */
  listTargets(root: string): Promise<{ targets: TargetInfo[]; errors: string[] }>;
  /** Builds run under `host` (the session's supervisor) when given. */
  createBuilder(settings: Settings, host?: ProcessHost, group?: BuildGroup): Builder;
  /** Present when several of its programs can be built in one invocation (a system's services): what their builders share. */
  createBuildGroup?(): BuildGroup;
  /** How an artifact runs; `protocol` when the strategy passes the handoff descriptors (fd 3, notify, control). */
  runCommand(artifact: string, settings: Settings, protocol: boolean): RunCommand;
  /** The last crash in a dead program's output, as a diagnostic at the user's code. */
  parseCrash(output: string, settings: Settings): Diagnostic | undefined;
  /** Build errors in a tool's output (a custom build command usually runs the language's compiler). */
  parseBuildErrors(output: string, settings: Settings): Diagnostic[];
  detectHandoff(settings: Settings, signal: AbortSignal, host?: ProcessHost): Promise<Detection>;
  /** What the "auto" strategy picks once detection is done, and why, for the log. */
  autoStrategy(found: Detection): { handoff: boolean; why: string };
  createPatcher(settings: Settings, host?: ProcessHost): Patcher;
  /** How its programs are debugged while they reload (absent: the language has no debugging yet). */
  readonly debugAdapter?: DebugAdapter;
  /** Unsaved buffers for builds before the save, for a project's build settings; absent: builds read saved files only. */
  editorBuffers?(settings: Settings): EditorBuffers;
}
