/**
 * How one setting is described, once: its type and default, its documentation, and how each
 * front end names it (VS Code `hotReload.<key>`, a CLI flag, the .air.toml keys that feed it).
 * The resolver's type checks and defaults, the VS Code mapping and package.json's contributed
 * settings, the CLI's parser and --help, and the .air.toml mapping are all derived from these rows.
 */
export type ValueKind = 'string' | 'optionalString' | 'strings' | 'record' | 'boolean' | 'number' | 'optionalNumber' | 'enum';

export type SettingGroup = 'program' | 'build' | 'watching' | 'running' | 'zeroDowntime' | 'patch' | 'target' | 'browser' | 'debug' | 'workDir';

/** How a CLI flag turns its text into the value. */
type CliTakes =
  /** The flag's text as it is. */
  | 'text'
  /** Repeatable: each occurrence adds an item. */
  | 'repeat'
  /** One comma-separated list. */
  | 'csv'
  /** Repeatable KEY=VALUE. */
  | 'assignments'
  /** A duration: 500, 500ms, 2s. */
  | 'duration'
  /** A whole number. */
  | 'integer';

export interface CliFlag {
  /** The long name, without "--". */
  flag: string;
  short?: string;
  /** The placeholder shown in --help ("pkg", "ms"); absent for a flag that takes no value. */
  arg?: string;
  takes?: CliTakes;
  /** A flag without a value sets this. */
  sets?: unknown;
  /** The help line; by default the first sentence of the doc. */
  help?: string;
}

/** Named conversions from .air.toml values, implemented in settings/airToml/converters.ts. */
export type AirVia =
  | 'direct'
  | 'root'
  | 'nonNegative'
  | 'positive'
  | 'duration'
  | 'negated'
  | 'sendInterrupt'
  | 'poll'
  | 'extensions'
  | 'includeDirs'
  | 'includeFiles'
  | 'excludes'
  | 'envFiles'
  | 'commands'
  | 'buildCommand'
  | 'goBuildPackage'
  | 'binary'
  | 'args'
  | 'binEnv'
  | 'nodeCommand'
  | 'proxyEnabled'
  | 'proxyPort'
  | 'regexes';

interface AirSource {
  /** The air keys that feed the setting ("build.delay"), as air's own documentation names them. */
  keys: readonly string[];
  via?: AirVia;
}

export interface SettingSpec<T> {
  kind: ValueKind;
  /** The default; a function of the project root for paths. */
  default: T | ((root: string) => T);
  /** Markdown: the first sentence is the summary (CLI help, docs table). */
  doc: string;
  group: SettingGroup;
  /** Allowed values (kind "enum"), each with its description. */
  values?: readonly string[];
  valueDocs?: readonly string[];
  /** Relative paths in the value are resolved against the project root. */
  path?: boolean;
  /** Numbers: smallest value, and whether it must be whole. */
  minimum?: number;
  maximum?: number;
  integer?: boolean;
  /** Shown in VS Code's settings (true for every setting but the folder itself). */
  vscode: boolean;
  cli?: CliFlag | readonly CliFlag[];
  air?: AirSource;
  /** Turns a front end's text into the canonical value ("int" → "SIGINT"); unknown text is kept for the validator. */
  normalize?: (value: string) => string;
}

type Base = Omit<SettingSpec<never>, 'kind' | 'default' | 'values' | 'valueDocs'>;

export const text = (spec: Base & { default: string | ((root: string) => string) }): SettingSpec<string> => ({ ...spec, kind: 'string' });
export const optionalText = (spec: Base): SettingSpec<string | undefined> => ({ ...spec, kind: 'optionalString', default: undefined });
export const list = (spec: Base & { default?: readonly string[] }): SettingSpec<string[]> => ({ ...spec, kind: 'strings', default: [...(spec.default ?? [])] });
export const record = (spec: Base): SettingSpec<Record<string, string>> => ({ ...spec, kind: 'record', default: {} });
export const flag = (spec: Base & { default: boolean }): SettingSpec<boolean> => ({ ...spec, kind: 'boolean' });
export const number = (spec: Base & { default: number }): SettingSpec<number> => ({ ...spec, kind: 'number' });
export const optionalNumber = (spec: Base): SettingSpec<number | undefined> => ({ ...spec, kind: 'optionalNumber', default: undefined });
export const choice = <V extends string>(values: readonly V[], spec: Base & { default: V; valueDocs: readonly string[] }): SettingSpec<V> => ({
  ...spec,
  kind: 'enum',
  values,
});

/** The value type a row describes. */
export type ValueOf<S> = S extends SettingSpec<infer T> ? T : never;

/** The first sentence of a doc, markdown removed: for --help and summaries. */
export function summary(doc: string): string {
  const plain = doc
    .replace(/`#hotReload\.([A-Za-z]+)#`/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*/g, '');
  const end = plain.search(/\.(\s|$)/);
  return end < 0 ? plain : plain.slice(0, end);
}
