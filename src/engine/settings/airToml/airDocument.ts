import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeGlob } from '../../kernel/pathPatterns';
import { expandHome, isInside, toSlash } from '../../kernel/paths';
import { closest } from '../../kernel/suggest';
import type { ConfigProblem } from '../types';
import { AIR_KEYS, AIR_KIND_TEXT, PLATFORM_TABLE, type AirKind } from './airKeys';
import { parseGoDuration } from './goDuration';
import { locateKeys } from './tomlPositions';

export type Table = Record<string, unknown>;

export interface AirDocumentOptions {
  /** The directory air runs in; relative paths are resolved against it. */
  root: string;
  /** The file the text came from (absolute), and its name in problems. */
  file: string;
  source: string;
  /** Which `[build.<os>]` table applies. */
  platform: NodeJS.Platform;
}

/**
 * A parsed air config file: typed reads of its keys (a value of the wrong type is a warning that
 * names the key and the type expected, and is then ignored), air's root, and problems located at
 * the key's line and column.
 */
export class AirDocument {
  private readonly locations: Map<string, { line: number; column: number }>;
  private readonly warned = new Set<string>();
  /** The directory every relative path in the file is relative to (air's `root`). */
  readonly airRoot: string;
  readonly base: string;

  constructor(
    text: string,
    private readonly doc: Table,
    readonly opts: AirDocumentOptions,
    readonly problems: ConfigProblem[],
  ) {
    this.locations = locateKeys(text);
    this.base = path.resolve(opts.root);
    const root = this.get('', 'root', 'string');
    this.airRoot = root && root.trim() !== '' ? path.resolve(this.base, expandHome(root.trim())) : this.base;
  }

  /** A `[build]` key, overridden by the current platform's `[build.<os>]` table when that has it (non-empty). */
  pick(key: string, kind: 'string'): string | undefined;
  pick(key: string, kind: 'strings'): string[] | undefined;
  pick(key: string, kind: 'stringOrStrings'): string | string[] | undefined;
  pick(key: string, kind: AirKind): unknown {
    const osTable = PLATFORM_TABLE[this.opts.platform];
    if (osTable) {
      const override = this.get(`build.${osTable}`, key, kind as 'string');
      if (override !== undefined && (override as unknown) !== '') return override;
    }
    return this.get('build', key, kind as 'string');
  }

  get(table: string, key: string, kind: 'string'): string | undefined;
  get(table: string, key: string, kind: 'strings'): string[] | undefined;
  get(table: string, key: string, kind: 'stringOrStrings'): string | string[] | undefined;
  get(table: string, key: string, kind: 'bool'): boolean | undefined;
  get(table: string, key: string, kind: 'number' | 'duration'): number | undefined;
  get(table: string, key: string, kind: 'tables'): Table[] | undefined;
  get(table: string, key: string, kind: AirKind): unknown {
    const t = this.tableAt(table);
    if (!t || !(key in t)) return undefined;
    const raw = t[key];
    const value = typeof raw === 'bigint' ? Number(raw) : raw;
    const full = table === '' ? key : `${table}.${key}`;
    const wrong = (): undefined => {
      this.warn(full, `${full} must be ${AIR_KIND_TEXT[kind]}, not ${describeValue(value)}; it is ignored`);
      return undefined;
    };
    switch (kind) {
      case 'string':
        return typeof value === 'string' ? value : wrong();
      case 'bool':
        return typeof value === 'boolean' ? value : wrong();
      case 'number':
        return typeof value === 'number' && Number.isFinite(value) ? value : wrong();
      case 'strings':
      case 'stringOrStrings':
        if (typeof value === 'string') {
          if (kind === 'stringOrStrings') return value;
          this.warn(full, `${full} must be ${AIR_KIND_TEXT[kind]}, not a string; using "${value}" as a one-item array`);
          return [value];
        }
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
        return wrong();
      case 'duration': {
        if (typeof value === 'number' && Number.isFinite(value)) {
          if (value < 0) return wrong();
          // air reads a number as nanoseconds, then takes values below one millisecond as milliseconds.
          return value < 1_000_000 ? value : Math.round(value / 1_000_000);
        }
        if (typeof value === 'string') {
          const ns = parseGoDuration(value);
          if (ns !== undefined && ns >= 0) return Math.round(ns / 1_000_000);
        }
        return wrong();
      }
      case 'tables':
        if (Array.isArray(value) && value.every(isTable)) return value;
        return wrong();
      case 'table':
        return isTable(value) ? value : wrong();
    }
  }

  /** A number that must not be negative (a warning otherwise). */
  nonNegative(table: string, key: string): number | undefined {
    const value = this.get(table, key, 'number');
    if (value === undefined) return undefined;
    if (value < 0) {
      this.warn(`${table}.${key}`, `${table}.${key} must not be negative (got ${value}); it is ignored`);
      return undefined;
    }
    return value;
  }

  /** Warns about every key air does not know (with a suggestion), and about sub-tables of the wrong type. */
  checkKeys(table: Table = this.doc, tablePath = ''): void {
    const schema = AIR_KEYS[tablePath] ?? {};
    for (const key of Object.keys(table)) {
      const kind = schema[key];
      const full = tablePath === '' ? key : `${tablePath}.${key}`;
      if (kind === undefined) {
        const where = tablePath === '' ? 'at the top level' : `in [${tablePath}]`;
        const suggestion = closest(key, Object.keys(schema));
        this.warn(
          full,
          `unknown key "${key}" ${where} of ${this.opts.source}: hot reload ignores it (misspelt, or from a newer air?)` +
            (suggestion ? `; did you mean "${suggestion}"?` : ''),
        );
        continue;
      }
      if (kind === 'table') {
        const sub = table[key];
        if (isTable(sub)) this.checkKeys(sub, full);
        else this.warn(full, `${full} must be ${AIR_KIND_TEXT.table} ([${full}]), not ${describeValue(sub)}; it is ignored`);
      }
    }
  }

  warn(keyPath: string, message: string): void {
    // Two settings may read one key (proxy.enabled checks both ports): say each thing once.
    const id = `${keyPath}\n${message}`;
    if (this.warned.has(id)) return;
    this.warned.add(id);
    const where = this.locations.get(keyPath);
    this.problems.push({
      severity: 'warning',
      source: this.opts.source,
      message,
      file: this.opts.file,
      ...(where ? { line: where.line, column: where.column } : {}),
    });
  }

  /** "assets/" → "assets/**", relative to air's root; undefined (with a warning) when unusable. */
  dirGlob(dir: string, key: string): string | undefined {
    const cleaned = dir.trim().replace(/[/\\]+$/, '');
    if (cleaned === '') return undefined;
    const abs = path.resolve(this.airRoot, expandHome(cleaned));
    if (abs === this.airRoot) {
      this.warn(key, `${key} "${dir}" names root itself, which makes no sense here: it is ignored`);
      return undefined;
    }
    if (!isInside(this.airRoot, abs)) {
      this.warn(key, `${key} "${dir}" is outside root (${this.airRoot}): hot reload watches only under root, so it is ignored`);
      return undefined;
    }
    return `${escapeGlob(toSlash(path.relative(this.airRoot, abs)))}/**`;
  }

  /** Whether two paths in the file name the same file. */
  /** A Node project: package.json at the root, and no go.mod (air's own language is Go). */
  isNodeProject(): boolean {
    return fs.existsSync(path.join(this.airRoot, 'package.json')) && !fs.existsSync(path.join(this.airRoot, 'go.mod'));
  }

  samePath(a: string, b: string): boolean {
    return path.resolve(this.airRoot, expandHome(a)) === path.resolve(this.airRoot, expandHome(b));
  }

  private tableAt(tablePath: string): Table | undefined {
    if (tablePath === '') return this.doc;
    let current: unknown = this.doc;
    for (const part of tablePath.split('.')) {
      if (!isTable(current)) return undefined;
      current = current[part];
    }
    return isTable(current) ? current : undefined;
  }
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `a string (${JSON.stringify(value)})`;
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  return typeof value;
}
