/**
 * VS Code settings (`hotReload.*`, resource scope) → the engine's settings
 * layer: pure, so it is tested without an editor.
 */
import * as path from 'node:path';
import type { PartialSettings, Strategy } from '../engine';

/** Every setting the extension contributes, with the engine field it feeds. All of them restart the session. */
export const SETTINGS_NEEDING_RESTART = [
  'package',
  'buildCommand',
  'binary',
  'buildFlags',
  'args',
  'env',
  'envFiles',
  'cwd',
  'include',
  'exclude',
  'extensions',
  'stopSignal',
  'gracePeriodMs',
  'debounceMs',
  'strategy',
  'watcher',
] as const;

export type SettingName = (typeof SETTINGS_NEEDING_RESTART)[number];

/** Reads a folder's configuration (what `getConfiguration('hotReload', folder).get` returns). */
export type ConfigReader = (name: SettingName) => unknown;

export function toEngineSettings(read: ConfigReader, folderPath: string): PartialSettings {
  const layer: PartialSettings = {};
  const str = (name: SettingName) => {
    const v = read(name);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const list = (name: SettingName) => {
    const v = read(name);
    return Array.isArray(v) && v.length > 0 ? v.filter((x): x is string => typeof x === 'string') : undefined;
  };
  const num = (name: SettingName) => {
    const v = read(name);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const abs = (p: string) => {
    const expanded = p.replace(/\$\{workspaceFolder\}/g, folderPath);
    return path.isAbsolute(expanded) ? expanded : path.join(folderPath, expanded);
  };

  const pkg = str('package');
  if (pkg) layer.package = pkg;
  const buildCommand = str('buildCommand');
  if (buildCommand) layer.buildCommand = buildCommand;
  const binary = str('binary');
  if (binary) layer.binary = abs(binary);
  const buildFlags = list('buildFlags');
  if (buildFlags) layer.buildFlags = buildFlags;
  const args = list('args');
  if (args) layer.args = args;
  const env = read('env');
  if (env && typeof env === 'object' && !Array.isArray(env)) {
    layer.env = Object.fromEntries(Object.entries(env as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
  }
  const envFiles = list('envFiles');
  if (envFiles) layer.envFiles = envFiles.map(abs);
  const cwd = str('cwd');
  if (cwd) layer.cwd = abs(cwd);
  const include = list('include');
  if (include) layer.include = include;
  const exclude = list('exclude');
  if (exclude) layer.exclude = exclude;
  const extensions = list('extensions');
  if (extensions) layer.extensions = extensions.map((e) => e.replace(/^\./, ''));
  const stopSignal = str('stopSignal');
  if (stopSignal) layer.stopSignal = stopSignal as NodeJS.Signals;
  const grace = num('gracePeriodMs');
  if (grace !== undefined) layer.gracePeriodMs = grace;
  const debounce = num('debounceMs');
  if (debounce !== undefined) layer.debounceMs = debounce;
  const strategy = str('strategy');
  if (strategy) layer.strategy = strategy as Strategy | 'auto';
  const watcher = str('watcher');
  if (watcher === 'native' || watcher === 'polling') layer.watcher = watcher;
  return layer;
}
