/**
 * The one settings schema: every setting the engine has, in one row each. Everything that names
 * a setting (resolver, VS Code, CLI, .air.toml, package.json, docs/settings.md) is derived from it.
 */
import { BROWSER } from './browser';
import { DEBUG } from './debug';
import { BUILD, PROGRAM } from './program';
import { RUNNING } from './running';
import { TARGET } from './target';
import type { SettingGroup, ValueOf } from './spec';
import { WATCHING } from './watching';
import { PATCH, WORK_DIR, ZERO_DOWNTIME } from './zeroDowntime';

export const SCHEMA = { ...PROGRAM, ...BUILD, ...WATCHING, ...RUNNING, ...ZERO_DOWNTIME, ...PATCH, ...TARGET, ...BROWSER, ...DEBUG, ...WORK_DIR };

export type SettingKey = keyof typeof SCHEMA;

type Value<K extends SettingKey> = ValueOf<(typeof SCHEMA)[K]>;
type OptionalKey = { [K in SettingKey]: undefined extends Value<K> ? K : never }[SettingKey];

/**
 * The engine's configuration for one target, fully resolved: every path absolute, every default
 * filled in. Settings with no default (a build command, a fixed port) are optional.
 */
export type Settings = { -readonly [K in Exclude<SettingKey, OptionalKey>]: Value<K> } & { -readonly [K in OptionalKey]?: Exclude<Value<K>, undefined> };

/** What a front end or config file may say; anything missing takes the default. */
export type PartialSettings = Partial<Settings>;

export type Strategy = Exclude<Settings['strategy'], 'auto'>;

export const SETTING_KEYS = Object.keys(SCHEMA) as SettingKey[];

export const GROUP_TITLES: Record<SettingGroup, string> = {
  program: 'Program',
  build: 'Build',
  watching: 'Watching',
  running: 'Running',
  zeroDowntime: 'Zero downtime (handoff and proxy)',
  patch: 'Live patch',
  target: 'Remote target (container or SSH host)',
  browser: 'Browser',
  debug: 'Debugging',
  workDir: 'Work dir',
};

export { DEFAULT_EXTENSIONS } from './watching';
export { LANGUAGE_IDS, type LanguageId } from './program';
export { summary, type CliFlag, type AirVia, type ValueKind, type SettingGroup } from './spec';
