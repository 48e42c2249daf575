import * as path from 'node:path';
import { GROUP_TITLES, SCHEMA, SETTING_KEYS, summary, type CliFlag, type PartialSettings, type SettingGroup, type SettingKey } from '../schema';

/** A CLI flag of a setting, with the setting it feeds. */
interface SettingFlag extends CliFlag {
  key: SettingKey;
}

/** Every setting's CLI flags, in schema order. */
function settingFlags(): SettingFlag[] {
  return SETTING_KEYS.flatMap((key) => {
    const cli = SCHEMA[key].cli;
    const flags: readonly CliFlag[] = cli === undefined ? [] : Array.isArray(cli) ? (cli as readonly CliFlag[]) : [cli as CliFlag];
    return flags.map((flag) => ({ ...flag, key }));
  });
}

type ParseArgsOption = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** The settings' options for node:util's parseArgs. */
export function settingParseOptions(): Record<string, ParseArgsOption> {
  const options: Record<string, ParseArgsOption> = {};
  for (const flag of settingFlags()) {
    const repeatable = flag.takes === 'repeat' || flag.takes === 'assignments';
    options[flag.flag] = {
      type: flag.sets !== undefined ? 'boolean' : 'string',
      ...(flag.short ? { short: flag.short } : {}),
      ...(repeatable ? { multiple: true } : {}),
    };
  }
  return options;
}

/** "500", "500ms", "2s", "1.5s", "2m" → milliseconds. */
export function parseMs(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new Error(`${flag} takes a duration such as 500, 500ms, 2s or 1m, got "${text}"`);
  return Math.round(Number(match[1]) * (match[2] === 'm' ? 60_000 : match[2] === 's' ? 1000 : 1));
}

function assignment(flag: string, text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`${flag} takes KEY=VALUE, got "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * Turns parsed flag values into a settings layer; relative paths are made absolute against `root`.
 * Throws with a sentence naming the flag when a value cannot be read.
 */
export function settingsFromFlags(values: Record<string, unknown>, root: string): PartialSettings {
  const layer: Record<string, unknown> = {};
  for (const flag of settingFlags()) {
    const raw = values[flag.flag];
    if (raw === undefined || raw === false) continue;
    const name = `--${flag.flag}`;
    const spec = SCHEMA[flag.key];
    let value: unknown;
    if (flag.sets !== undefined) value = flag.sets;
    else if (flag.takes === 'repeat') value = raw;
    else if (flag.takes === 'csv')
      value = (raw as string)
        .split(',')
        .map((e) => e.trim().replace(/^\./, ''))
        .filter(Boolean);
    else if (flag.takes === 'assignments') value = Object.fromEntries((raw as string[]).map((text) => assignment(name, text)));
    else if (flag.takes === 'duration') value = parseMs(name, raw as string);
    else if (flag.takes === 'integer') {
      if (!/^\d+$/.test((raw as string).trim())) throw new Error(`${name} takes a whole number, got "${raw as string}"`);
      value = Number(raw);
    } else value = raw;
    if (spec.normalize && typeof value === 'string') value = spec.normalize(value);
    if (spec.path) value = Array.isArray(value) ? value.map((v: string) => path.resolve(root, v)) : path.resolve(root, value as string);
    layer[flag.key] = value;
  }
  return layer;
}

/** --help's sections for the settings: one line per flag, grouped as in the schema. */
export function settingsHelp(width = 30): string {
  const groups = new Map<SettingGroup, string[]>();
  for (const flag of settingFlags()) {
    const spec = SCHEMA[flag.key];
    const head = `  ${flag.short ? `-${flag.short}, ` : '    '}--${flag.flag}${flag.arg ? ` <${flag.arg}>` : ''}`;
    const text = flag.help ?? summary(spec.doc);
    const line = head.length + 2 > width ? `${head}\n${' '.repeat(width)}${text}` : `${head.padEnd(width)}${text}`;
    groups.set(spec.group, [...(groups.get(spec.group) ?? []), line]);
  }
  return [...groups].map(([group, lines]) => `${GROUP_TITLES[group]}:\n${lines.join('\n')}`).join('\n\n');
}
