import * as path from 'node:path';
import { SCHEMA, SETTING_KEYS, type Settings } from './schema';

/**
 * The settings every target starts from, before .air.toml and the front ends' layers: each row's
 * default from the schema. `package` is empty (the resolver discovers it) and `moduleRoot` is root
 * (the resolver finds go.mod). Every call returns fresh arrays and objects.
 */
export function defaultSettings(root: string): Settings {
  const absRoot = path.resolve(root);
  const settings: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value: unknown = SCHEMA[key].default;
    const resolved = typeof value === 'function' ? (value as (root: string) => unknown)(absRoot) : value;
    if (resolved === undefined) continue; // optional: absent until a layer sets it
    settings[key] = Array.isArray(resolved) ? [...(resolved as unknown[])] : resolved && typeof resolved === 'object' ? { ...resolved } : resolved;
  }
  return settings as Settings;
}

export { DEFAULT_EXTENSIONS } from './schema';
