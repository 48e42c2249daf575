import * as path from 'node:path';
import { GROUP_TITLES, SCHEMA, SETTING_KEYS, type PartialSettings, type SettingGroup, type SettingKey } from '../schema';

/** The prefix of every setting in VS Code. */
const VSCODE_SECTION = 'hotReload';

/** The settings VS Code shows (all but the folder itself), in schema order. */
export function vscodeSettingKeys(): SettingKey[] {
  return SETTING_KEYS.filter((key) => SCHEMA[key].vscode);
}

/**
 * A folder's VS Code values (only those the user set, so .air.toml still counts) → a settings
 * layer. Empty strings and empty lists say nothing; `${workspaceFolder}` is expanded and relative
 * paths are made absolute against the folder; values of the wrong type are passed on for the
 * resolver to report.
 */
export function toEngineSettings(read: (key: SettingKey) => unknown, folderPath: string): PartialSettings {
  const layer: Record<string, unknown> = {};
  const abs = (p: string) => {
    const expanded = p.replace(/\$\{workspaceFolder\}/g, folderPath);
    return path.isAbsolute(expanded) ? expanded : path.join(folderPath, expanded);
  };
  for (const key of vscodeSettingKeys()) {
    const spec = SCHEMA[key];
    let value = read(key);
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      value = value.trim();
      if (value === '') continue;
      if (spec.normalize) value = spec.normalize(value as string);
      if (spec.path) value = abs(value as string);
    } else if (Array.isArray(value)) {
      if (value.length === 0) continue;
      value = value.filter((x): x is string => typeof x === 'string');
      if (spec.path) value = (value as string[]).map(abs);
      if (key === 'extensions') value = (value as string[]).map((e) => e.replace(/^\./, ''));
    } else if (spec.kind === 'record' && typeof value === 'object') {
      value = Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
    } else if (typeof value === 'number' && !Number.isFinite(value)) continue;
    layer[key] = value;
  }
  return layer;
}

type JsonSchema = Record<string, unknown>;

function propertyOf(key: SettingKey, order: number): JsonSchema {
  const spec = SCHEMA[key];
  const base: JsonSchema = { order, scope: 'resource', markdownDescription: spec.doc };
  const def = typeof spec.default === 'function' ? '' : spec.default;
  switch (spec.kind) {
    case 'string':
    case 'optionalString':
      return { type: 'string', default: def ?? '', ...base };
    case 'enum':
      return { type: 'string', enum: [...(spec.values ?? [])], enumDescriptions: [...(spec.valueDocs ?? [])], default: def, ...base };
    case 'strings':
      return { type: 'array', items: { type: 'string' }, default: def, ...base };
    case 'record':
      return { type: 'object', additionalProperties: { type: 'string' }, default: def, ...base };
    case 'boolean':
      return { type: 'boolean', default: def, ...base };
    case 'number':
    case 'optionalNumber':
      return {
        type: spec.kind === 'optionalNumber' ? ['number', 'null'] : spec.integer ? 'integer' : 'number',
        default: def ?? null,
        ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
        ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
        ...base,
      };
  }
}

/** package.json's `contributes.configuration`: one section per schema group, every setting with its docs. */
export function vscodeConfiguration(): JsonSchema[] {
  const sections = new Map<SettingGroup, Record<string, JsonSchema>>();
  vscodeSettingKeys().forEach((key, i) => {
    const group = SCHEMA[key].group;
    sections.set(group, { ...(sections.get(group) ?? {}), [`${VSCODE_SECTION}.${key}`]: propertyOf(key, i) });
  });
  return [...sections].map(([group, properties], i) => ({ id: `hotReload.${group}`, title: GROUP_TITLES[group], order: i, properties }));
}
