import * as path from 'node:path';
import { adoptSettings, debugUnavailable, languageFor, type Language, type LanguageOverrides } from '../languages';
import { readAirToml, readAirTomlFile } from '../settings/airToml';
import { defaultSettings } from '../settings/defaults';
import { MergedSettings } from '../settings/merge';
import type { ConfigProblem, PartialSettings, SettingKey, Settings } from '../settings/types';
import { targetSettingKey } from '../settings/targets';
import { resolvePaths, validateSettings } from '../settings/validate';
import { relativeName } from '../kernel/paths';

export interface ResolveOptions extends LanguageOverrides {
  /**
   * The air config file given with air's `-c` flag (absolute, or relative to root). Without it,
   * `<root>/.air.toml` (or `<root>/.config/air.toml`) is read when present.
   */
  airTomlPath?: string;
  /** Do not read any air config file. */
  ignoreAirToml?: boolean;
  /** A name per layer for problems, e.g. ["hotReload settings", "command line"]. */
  layerSources?: string[];
  /** For target discovery: the toolchain command, its environment and time limit. */
  goBin?: string;
  env?: NodeJS.ProcessEnv;
  discoverTimeoutMs?: number;
}

export interface ResolveResult {
  /** Only when no problem is an error. */
  settings?: Settings;
  /** The language of the target, with the settings. */
  language?: Language;
  problems: ConfigProblem[];
}

/**
 * Builds the settings for one target: the schema's defaults ← .air.toml (when present) ← each layer
 * in order (see MergedSettings), then makes paths absolute against the final root, validates, and lets
 * the target's language find what to build and run (Go: the module and the main package; Node: the
 * package and the entry).
 * Never throws. `settings` is returned only when no problem is an error.
 */
export async function resolveSettings(root: string, layers: PartialSettings[], opts: ResolveOptions = {}): Promise<ResolveResult> {
  const base = path.resolve(root);
  const merge = new MergedSettings(defaultSettings(base));
  const { settings: merged, origin, problems } = merge;
  if (!opts.ignoreAirToml) {
    const air = opts.airTomlPath ? readAirTomlFile(path.resolve(base, opts.airTomlPath), base) : readAirToml(base);
    if (air) {
      problems.push(...air.problems);
      merge.apply(air.settings, relativeName(base, air.file));
    }
  }
  layers.forEach((layer, i) => merge.apply(layer, opts.layerSources?.[i] ?? `settings layer ${i + 1}`));

  const sourceOf = (key: SettingKey) => origin.get(key) ?? key;
  resolvePaths(merged, base, new Set(origin.keys()));
  const checked = validateSettings(merged, sourceOf);
  problems.push(...checked.problems);
  if (checked.rootMissing) return { problems };

  const found = languageFor(merged.root, opts, merged.language);
  if ('ambiguous' in found) {
    problems.push({ severity: 'error', source: sourceOf('language'), message: found.ambiguous });
    return { problems };
  }
  const { language } = found;
  const target = targetSettingKey(merged);
  const unable = adoptSettings(language, merged, { explicit: new Set(origin.keys()), sourceOf });
  if (unable.length > 0) {
    problems.push(...unable);
    return { problems };
  }
  problems.push(
    ...(await language.resolveTarget(merged, {
      explicit: new Set(origin.keys()),
      sourceOf,
      toolchain: opts.goBin,
      env: opts.env,
      timeoutMs: opts.discoverTimeoutMs,
    })),
  );
  if (merged.debug && !problems.some((p) => p.severity === 'error')) {
    const debugAdapter = language.debugAdapter;
    const unavailable = debugUnavailable(language);
    if (unavailable || !debugAdapter) {
      problems.push({ severity: 'error', source: sourceOf('debug'), message: unavailable ?? `${language.name} has no debug adapter: turn debug off` });
    } else if (target) {
      problems.push({
        severity: 'error',
        source: sourceOf('debug'),
        message: `debugging runs on this machine only for now, and ${target} is set: turn debug off, or pick This machine in Select Target`,
      });
    } else {
      // Found once: every version's adapter runs this file.
      const adapter = await debugAdapter.find(merged);
      if (typeof adapter === 'string') merged.delvePath = adapter;
      else problems.push(adapter);
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { settings: merged, language, problems };
}

export { normalizeSignal } from '../kernel/exits';
