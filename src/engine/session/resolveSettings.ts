import * as path from 'node:path';
import { languageFor, type Language, type LanguageOverrides } from '../languages';
import { readAirToml, readAirTomlFile } from '../settings/airToml';
import { defaultSettings } from '../settings/defaults';
import { applyLayer } from '../settings/merge';
import type { ConfigProblem, PartialSettings, SettingKey, Settings } from '../settings/types';
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
 * in order (see applyLayer), then makes paths absolute against the final root, validates, and lets
 * the target's language find what to build and run (Go: the module and the main package; Node: the
 * package and the entry).
 * Never throws. `settings` is returned only when no problem is an error.
 */
export async function resolveSettings(root: string, layers: PartialSettings[], opts: ResolveOptions = {}): Promise<ResolveResult> {
  const base = path.resolve(root);
  const problems: ConfigProblem[] = [];
  const merged = defaultSettings(base);
  const origin = new Map<SettingKey, string>();
  if (!opts.ignoreAirToml) {
    const air = opts.airTomlPath ? readAirTomlFile(path.resolve(base, opts.airTomlPath), base) : readAirToml(base);
    if (air) {
      problems.push(...air.problems);
      applyLayer(merged, air.settings, relativeName(base, air.file), origin, problems);
    }
  }
  layers.forEach((layer, i) => applyLayer(merged, layer, opts.layerSources?.[i] ?? `settings layer ${i + 1}`, origin, problems));

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
  const target = (['container', 'composeService', 'sshHost'] as const).find((key) => merged[key]);
  if (target && language.id !== 'go') {
    // A container or host gets one static binary; a Node program needs node, its bundle and node_modules there.
    problems.push({
      severity: 'error',
      source: sourceOf(target),
      message: `${target} is set, but only Go programs run in a container or on an SSH host for now (this is a ${language.id} program): unset ${target}, or pick This machine in Select Target`,
    });
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
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { settings: merged, language, problems };
}

export { normalizeSignal } from '../kernel/exits';
