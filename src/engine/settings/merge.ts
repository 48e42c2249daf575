import type { ConfigProblem } from './types';
import { SCHEMA, type PartialSettings, type SettingKey, type Settings, type ValueKind } from './schema';

const KIND_TEXT: Record<ValueKind, string> = {
  string: 'a string',
  optionalString: 'a string',
  strings: 'an array of strings',
  record: 'an object of string values',
  boolean: 'true or false',
  number: 'a number',
  optionalNumber: 'a number',
  enum: 'a string',
};

const WRONG = Symbol('wrong type');

/** The value to store for a raw value of a setting's kind, or WRONG when it has the wrong type. */
function checkValue(kind: ValueKind, raw: unknown): unknown {
  switch (kind) {
    case 'string':
    case 'enum':
      return typeof raw === 'string' ? raw : WRONG;
    case 'optionalString':
      // an empty string clears it (e.g. a later layer turning air's build command off)
      return typeof raw === 'string' ? (raw.trim() === '' ? undefined : raw) : WRONG;
    case 'strings':
      return Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? [...raw] : WRONG;
    case 'record': {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return WRONG;
      const entries = Object.entries(raw as Record<string, unknown>);
      if (!entries.every(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))) return WRONG;
      return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
    }
    case 'boolean':
      return typeof raw === 'boolean' ? raw : WRONG;
    case 'number':
    case 'optionalNumber':
      return typeof raw === 'number' ? raw : WRONG;
  }
}

/**
 * Settings merged layer by layer, each value type-checked against the schema (layers may come from
 * JSON). Later layers win; arrays replace; `env` and `buildEnv` merge key by key; an empty optional
 * string clears the value; an empty root, cwd, workDir or moduleRoot keeps what was there.
 */
export class MergedSettings {
  /** Which layer set each key, by the name its problems give. */
  readonly origin = new Map<SettingKey, string>();
  /** Values of the wrong type, which were left out. */
  readonly problems: ConfigProblem[] = [];

  constructor(readonly settings: Settings) {}

  /** Applies one layer, named `source` in problems. */
  apply(layer: PartialSettings, source: string): void {
    const t = this.settings as unknown as Record<string, unknown>;
    for (const [name, raw] of Object.entries(layer)) {
      if (raw === undefined || !Object.prototype.hasOwnProperty.call(SCHEMA, name)) continue;
      const key = name as SettingKey;
      const kind = SCHEMA[key].kind;
      const value = checkValue(kind, raw);
      if (value === WRONG) {
        this.problems.push({ severity: 'error', source, message: `${key} must be ${KIND_TEXT[kind]}, not ${JSON.stringify(raw)}` });
        continue;
      }
      if (value === '' && kind === 'string' && key !== 'package') continue;
      t[key] = kind === 'record' ? { ...(t[key] as Record<string, string>), ...(value as Record<string, string>) } : value;
      this.origin.set(key, source);
    }
  }
}
