/**
 * The language registry: one row per language folder, the only file that reaches into them. A new
 * language is its folder (its `Language`, and a row in `<folder>/module.ts`) and its line here; the
 * compiler asks for that line once the `language` setting lists the id (settings/schema/program.ts),
 * and test/unit/languageRegistry.test.ts asks for both once the folder exists.
 */
import { LANGUAGE_IDS } from '../settings/schema';
import type { LanguageId } from '../settings/types';
import { GO } from './go/module';
import type { Language } from './language';
import type { LanguageModule } from './languageModule';
import { NODE } from './node/module';

/** Every language, by id: exactly the ids the `language` setting lists, each row under its own id. */
const MODULES = {
  go: GO,
  node: NODE,
} satisfies { [Id in LanguageId]: LanguageModule<Id, never> };

type Modules = typeof MODULES;

/** What each language lets a caller replace (tests), all in one object: every row's overrides. */
export type LanguageOverrides = UnionToIntersection<{ [Id in LanguageId]: Parameters<Modules[Id]['create']>[0] }[LanguageId]>;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The rows in the order the `language` setting lists them. */
export const LANGUAGE_MODULES: readonly LanguageModule[] = LANGUAGE_IDS.map((id) => MODULES[id]);

/** The language of a folder that no project file claims: the first listed, whose resolution says what is missing. */
export const FALLBACK_LANGUAGE: LanguageId = LANGUAGE_IDS[0];

export function languageModule(id: LanguageId): LanguageModule {
  return MODULES[id];
}

/** The language `id`, with the overrides that apply to it. */
export function createLanguage(id: LanguageId, overrides: LanguageOverrides): Language {
  const row: LanguageModule<LanguageId, LanguageOverrides> = MODULES[id];
  return row.create(overrides);
}
