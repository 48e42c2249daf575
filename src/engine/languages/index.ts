/**
 * The languages the engine knows, and which one a folder is. Everything outside this folder
 * reaches a language through here and the `Language` interface.
 */
import { GO_BUFFER_GLOBS } from './go/goBuffers';
import { GoLanguage } from './go/goLanguage';
import type { Discover } from './go/resolveModule';
import type { Language } from './language';

export interface LanguageOverrides {
  /** Replaces Go's `go list` discovery of main packages (tests). */
  discover?: Discover;
}

/** The language of a project folder. Go is the only one so far, and the default. */
export function languageFor(_root: string, overrides: LanguageOverrides = {}): Language {
  return new GoLanguage(overrides.discover);
}

export type { Builder, BuildOptions, BuildOutcome } from './builder';
export type { Detection, EditorBuffers, Language, PatchBuild, Patcher, PatchUnit, ResolveTargetOptions, TargetInfo } from './language';
export type { DiscoverOptions, DiscoverResult } from './go/discover';

/** The files whose unsaved editor buffers some language builds from (an editor's document selector). */
export function editorBufferGlobs(): string[] {
  return [...GO_BUFFER_GLOBS];
}
