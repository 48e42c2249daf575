/**
 * The languages the engine knows, and which one a folder is. Everything outside this folder
 * reaches a language through here and the `Language` interface.
 */
import { GO_BUFFER_GLOBS } from './go/goBuffers';
import * as path from 'node:path';
import { GoLanguage } from './go/goLanguage';
import { findModuleRoot, findNestedModuleRoots } from './go/discover';
import type { Discover } from './go/resolveModule';
import type { Language, LanguageId, TargetInfo } from './language';
import { NodeLanguage } from './node/nodeLanguage';
import { findPackageRoot } from './node/project';

export interface LanguageOverrides {
  /** Replaces Go's `go list` discovery of main packages (tests). */
  discover?: Discover;
}

export type LanguageChoice = LanguageId | 'auto';

/** The language of a project folder, or why the user must pick it. */
export type LanguageFound = { language: Language } | { ambiguous: string };

/**
 * The language a folder's program is in: the one `choice` names, else the nearer of go.mod and
 * package.json at or above it (a Go module below it counts for Go). Both in the same folder: the
 * user picks. Neither: Go, whose resolution says what is missing.
 */
export function languageFor(root: string, overrides: LanguageOverrides = {}, choice: LanguageChoice = 'auto'): LanguageFound {
  const claims = claimsOf(root);
  const id = choice !== 'auto' ? choice : claims.length === 1 ? claims[0] : claims.length === 0 ? 'go' : undefined;
  if (id === 'node') return { language: new NodeLanguage() };
  if (id === 'go') return { language: new GoLanguage(overrides.discover) };
  return {
    ambiguous: `${path.resolve(root)} has both a Go module (go.mod) and a Node package (package.json): pick one with --language go or --language node, the hotReload.language setting, or Hot Reload: Select Target`,
  };
}

/** What could be run in a folder, for Select Target: every program of the languages it holds. */
export async function listTargets(root: string): Promise<{ targets: TargetInfo[]; errors: string[] }> {
  const claims = claimsOf(root);
  const languages: Language[] = (claims.length > 0 ? claims : (['go'] as const)).map((id) => (id === 'go' ? new GoLanguage() : new NodeLanguage()));
  const lists = await Promise.all(languages.map((l) => l.listTargets(root)));
  return { targets: lists.flatMap((l) => l.targets), errors: lists.flatMap((l) => l.errors) };
}

/** The languages that claim a folder: the nearer project file wins, and a tie is both. */
function claimsOf(root: string): LanguageId[] {
  const goDir = findModuleRoot(root) ?? (findNestedModuleRoots(root).length > 0 ? path.resolve(root) : undefined);
  const nodeDir = findPackageRoot(root);
  if (goDir === undefined || nodeDir === undefined) return goDir ? ['go'] : nodeDir ? ['node'] : [];
  if (goDir === nodeDir) return ['go', 'node'];
  return goDir.length > nodeDir.length ? ['go'] : ['node'];
}

export type { Builder, BuildOptions, BuildOutcome } from './builder';
export type {
  DebugAdapter,
  DebuggedRun,
  Detection,
  EditorBuffers,
  Language,
  LanguageId,
  PatchBuild,
  Patcher,
  PatchUnit,
  ResolveTargetOptions,
  RunCommand,
  TargetInfo,
} from './language';
export type { DiscoverOptions, DiscoverResult } from './go/discover';

/** The files whose unsaved editor buffers some language builds from (an editor's document selector). */
export function editorBufferGlobs(): string[] {
  return [...GO_BUFFER_GLOBS];
}
