/**
 * A language module: one row of the language registry (registry.ts). It says, before any program
 * is looked at, what the engine needs to know about a language: which project file marks its
 * folders, its defaults, what it can and cannot do (and why not, for the user), and how to make
 * its `Language`. Each language folder exports one; everything that picks or lists languages reads
 * the rows, so a new language is a folder and a row.
 */
import type { LanguageId } from '../settings/types';
import type { Language } from './language';

/** Something a language can do, or the reason it cannot, as the user reads it. */
type Capability = { readonly can: true } | { readonly can: false; readonly why: string };

export interface LanguageModule<Id extends LanguageId = LanguageId, Overrides extends object = object> {
  readonly id: Id;
  /** "Go", for messages. */
  readonly name: string;
  /** What marks a folder as this language's project. */
  readonly project: {
    /** The project files (go.mod, package.json): the nearest one at or above a folder claims it. */
    readonly files: readonly string[];
    /** The project in a message: "a Go module". */
    readonly noun: string;
    /** Whether a project below the folder claims it too, as if it were in the folder (Go: a module in ./backend). */
    below?(root: string): boolean;
  };
  /** The values this language gives settings that no layer set. */
  readonly defaults: {
    /** The file extensions whose changes reload. */
    readonly extensions: readonly string[];
  };
  readonly capabilities: {
    /** Runs in a container or on an SSH host (where a target gets one static executable). */
    readonly remote: Capability;
    /** Runs under a debug adapter across reloads (its `Language` has a `debugAdapter`). */
    readonly debug: Capability;
    /** Takes the patch strategy (its `Language`'s patcher can build in-place patches). */
    readonly patch: Capability;
    /** Builds from unsaved editor buffers: the globs of those files (an editor's document selector); none: saved files only. */
    readonly editorBuffers: readonly string[];
  };
  /** The language itself; `overrides` replace parts of it (tests, front ends that cache discovery). */
  create(overrides: Overrides): Language & { readonly id: Id };
}
