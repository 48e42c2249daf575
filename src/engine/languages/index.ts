/**
 * The languages the engine knows, and which one a folder is. Everything outside this folder
 * reaches a language through here and the `Language` interface; what each language is comes from
 * its row of the registry (registry.ts), so nothing here names one.
 */
import * as path from 'node:path';
import { findUp } from '../kernel/findUp';
import { alternatives, unique } from '../kernel/text';
import { targetSettingKey } from '../settings/targets';
import type { ConfigProblem, LanguageId, SettingKey, Settings } from '../settings/types';
import type { Language, TargetInfo } from './language';
import type { LanguageModule } from './languageModule';
import { createLanguage, FALLBACK_LANGUAGE, LANGUAGE_MODULES, languageModule, type LanguageOverrides } from './registry';

export type { LanguageOverrides };

export type LanguageChoice = LanguageId | 'auto';

/** The language of a project folder, or why the user must pick it. */
export type LanguageFound = { language: Language } | { ambiguous: string };

/**
 * The language a folder's program is in: the one `choice` names, else the one whose project file
 * is nearest at or above it (a project below it counts as in it, for the languages that say so).
 * Several as near: the user picks. None: the fallback language, whose resolution says what is missing.
 */
export function languageFor(root: string, overrides: LanguageOverrides = {}, choice: LanguageChoice = 'auto'): LanguageFound {
  const claims = choice !== 'auto' ? [languageModule(choice)] : claimsOf(root);
  if (claims.length > 1) return { ambiguous: ambiguity(root, claims) };
  return { language: createLanguage(claims[0]?.id ?? FALLBACK_LANGUAGE, overrides) };
}

/** What could be run in a folder, for Select Target: every program of the languages that claim it. */
export async function listTargets(root: string): Promise<{ targets: TargetInfo[]; errors: string[] }> {
  const claims = claimsOf(root);
  const languages = (claims.length > 0 ? claims.map((m) => m.id) : [FALLBACK_LANGUAGE]).map((id) => createLanguage(id, {}));
  const lists = await Promise.all(languages.map((l) => l.listTargets(root)));
  return { targets: lists.flatMap((l) => l.targets), errors: lists.flatMap((l) => l.errors) };
}

/** The languages that claim a folder: the nearest project file wins, and a tie is all of them. */
function claimsOf(root: string): LanguageModule[] {
  const found = LANGUAGE_MODULES.flatMap((row) => {
    const dir = findUp(root, row.project.files) ?? (row.project.below?.(root) ? path.resolve(root) : undefined);
    return dir === undefined ? [] : [{ row, dir }];
  });
  // Every dir found is the folder or one of its ancestors: the longest is the nearest.
  const nearest = Math.max(...found.map((f) => f.dir.length));
  return found.filter((f) => f.dir.length === nearest).map((f) => f.row);
}

function ambiguity(root: string, claims: readonly LanguageModule[]): string {
  const projects = alternatives(
    claims.map((row) => `${row.project.noun} (${row.project.files.join(' or ')})`),
    'and',
  );
  const flags = alternatives(claims.map((row) => `--language ${row.id}`));
  return `${path.resolve(root)} has ${claims.length === 2 ? 'both ' : ''}${projects}: pick one with ${flags}, the hotReload.language setting, or Hot Reload: Select Target`;
}

/** The files whose unsaved editor buffers some language builds from (an editor's document selector). */
export function editorBufferGlobs(): string[] {
  return unique(LANGUAGE_MODULES.flatMap((row) => row.capabilities.editorBuffers));
}

/** The languages that can do something, for a message: "Go", "Go and Rust". */
function namesThatCan(capability: 'remote' | 'debug' | 'patch'): string {
  return alternatives(
    LANGUAGE_MODULES.filter((row) => row.capabilities[capability].can).map((row) => row.name),
    'and',
  );
}

/**
 * What a language makes of resolved settings before it finds its target: its defaults for the
 * settings no layer set, and a problem for each thing the settings ask of it that it cannot do
 * (run on a remote target, the patch strategy).
 */
export function adoptSettings(
  language: Language,
  settings: Settings,
  options: { explicit: ReadonlySet<SettingKey>; sourceOf(key: SettingKey): string },
): ConfigProblem[] {
  const row = languageModule(language.id);
  if (!options.explicit.has('extensions')) settings.extensions = [...row.defaults.extensions];
  const problems: ConfigProblem[] = [];
  const { remote, patch } = row.capabilities;
  const target = targetSettingKey(settings);
  if (target && !remote.can) {
    problems.push({
      severity: 'error',
      source: options.sourceOf(target),
      message: `${target} is set, but only ${namesThatCan('remote')} programs run in a container, on an SSH host or in a pod for now (this is a ${row.name} program: ${remote.why}): unset ${target}, or pick This machine in Select Target`,
    });
  }
  if (settings.strategy === 'patch' && !patch.can) {
    problems.push({
      severity: 'error',
      source: options.sourceOf('strategy'),
      message: `the patch strategy is for ${namesThatCan('patch')} programs for now (this is a ${row.name} program: ${patch.why}): pick handoff or restart`,
    });
  }
  return problems;
}

/** Why a language's programs cannot be debugged while they reload, or undefined when they can. */
export function debugUnavailable(language: Language): string | undefined {
  const row = languageModule(language.id);
  const { debug } = row.capabilities;
  return debug.can
    ? undefined
    : `debugging while it reloads is for ${namesThatCan('debug')} programs for now; this is a ${row.name} program (${debug.why}): turn debug off`;
}

export type { Builder, BuildGroup, BuildOptions, BuildOutcome } from './builder';
export type { DebugAdapter, Detection, EditorBuffers, Language, Patcher, PatchUnit, TargetInfo } from './language';
