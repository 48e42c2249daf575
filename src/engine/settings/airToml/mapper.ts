import { SCHEMA, SETTING_KEYS, type PartialSettings } from '../schema';
import type { AirDocument } from './airDocument';
import { CONVERTERS, type AirInput } from './converters';
import { readRunLine, type RunLine } from './runLine';

/** One row of the mapping: an air key, the setting it feeds, and how. */
export interface AirMapping {
  airKeys: readonly string[];
  setting: string;
  via: string;
}

/** The mapping from air's keys to settings, as the schema declares it. */
export function airMappingTable(): AirMapping[] {
  return SETTING_KEYS.flatMap((key) => {
    const air = SCHEMA[key].air;
    return air ? [{ airKeys: air.keys, setting: key, via: air.via ?? 'direct' }] : [];
  });
}

/**
 * Turns an air config into a settings layer: every key is checked (unknown keys and wrong types
 * are warnings), then each setting the schema feeds from air is converted as its row says.
 * The keys air has that mean nothing here are warned about when they would change behaviour.
 */
export function mapAirDocument(air: AirDocument): PartialSettings {
  air.checkKeys();
  let runLine: RunLine | undefined;
  const layer: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const spec = SCHEMA[key];
    if (!spec.air) continue;
    const input: AirInput = { air, keys: spec.air.keys, kind: spec.kind, runLine: () => (runLine ??= readRunLine(air)) };
    const value = CONVERTERS[spec.air.via ?? 'direct'](input);
    if (value !== undefined) layer[key] = value;
  }
  warnUnsupported(air);
  return layer;
}

function warnUnsupported(air: AirDocument): void {
  if (air.get('build', 'follow_symlink', 'bool') === true)
    air.warn(
      'build.follow_symlink',
      'build.follow_symlink is not supported: changes inside symlinked directories may not trigger a reload; watch the link targets directly instead',
    );
  const rules = air.get('build', 'rules', 'tables');
  if (rules !== undefined && rules.length > 0) {
    rules.forEach((rule) => air.checkKeys(rule, 'build.rules'));
    air.warn(
      'build.rules',
      `[[build.rules]] is not supported: hot reload ignores ${rules.length === 1 ? 'this rule' : `these ${rules.length} rules`}, so their commands do not run; run them with a pre_cmd or a separate watcher`,
    );
  }
}
