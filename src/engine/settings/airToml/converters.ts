import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeGlob } from '../../kernel/pathPatterns';
import { expandHome, isInside, toSlash } from '../../kernel/paths';
import { unique } from '../../kernel/text';
import type { AirVia, ValueKind } from '../schema';
import type { AirDocument } from './airDocument';
import { goBuildPackage } from './goBuildCommand';
import type { RunLine } from './runLine';

/** What a conversion sees: the document, the setting's air keys, its kind, and the run line (read once). */
export interface AirInput {
  air: AirDocument;
  keys: readonly string[];
  kind: ValueKind;
  runLine(): RunLine;
}

type Converter = (input: AirInput) => unknown;

function split(key: string): [string, string] {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? ['', key] : [key.slice(0, dot), key.slice(dot + 1)];
}

const AIR_KIND_OF: Partial<Record<ValueKind, 'string' | 'strings' | 'bool' | 'number'>> = {
  string: 'string',
  optionalString: 'string',
  strings: 'strings',
  boolean: 'bool',
  number: 'number',
  optionalNumber: 'number',
};

/** One air key of the setting's own type. */
function direct({ air, keys, kind }: AirInput): unknown {
  const [table, key] = split(keys[0]);
  return air.get(table, key, AIR_KIND_OF[kind] as 'string');
}

function port(air: AirDocument, key: string): number | undefined {
  const value = air.get('proxy', key, 'number');
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    air.warn(`proxy.${key}`, `proxy.${key} must be a port number from 1 to 65535, not ${value}; it is ignored`);
    return undefined;
  }
  return value;
}

/** Every named conversion the schema's rows may use (AirVia). */
export const CONVERTERS: Record<AirVia, Converter> = {
  direct,
  root: ({ air }) => (air.airRoot !== air.base ? air.airRoot : undefined),
  nonNegative: ({ air, keys }) => air.nonNegative(...split(keys[0])),
  positive: ({ air, keys }) => {
    const value = air.nonNegative(...split(keys[0]));
    return value !== undefined && value > 0 ? value : undefined;
  },
  // 0 keeps the default grace period: air's "0s" default would otherwise kill without a chance to shut down.
  duration: ({ air, keys }) => {
    const value = air.get(...split(keys[0]), 'duration');
    return value !== undefined && value > 0 ? value : undefined;
  },
  negated: ({ air, keys }) => {
    const value = air.get(...split(keys[0]), 'bool');
    return value === undefined ? undefined : !value;
  },
  // With false air kills at once; hot reload keeps its default (SIGTERM, then SIGKILL after the grace period).
  sendInterrupt: ({ air }) => (air.get('build', 'send_interrupt', 'bool') === true ? 'SIGINT' : undefined),
  poll: ({ air }) => (air.get('build', 'poll', 'bool') === true ? 'polling' : undefined),
  extensions: ({ air }) => {
    const exts = air.get('build', 'include_ext', 'strings');
    if (exts === undefined) return undefined;
    const cleaned = exts.map((e) => e.trim().replace(/^\./, '')).filter((e) => e !== '');
    if (cleaned.includes('*')) return [];
    if (cleaned.length > 0) return cleaned;
    air.warn(
      'build.include_ext',
      'build.include_ext is empty: air would then watch only include_file, hot reload keeps its default extensions; list the extensions to watch, or ["*"] for every file',
    );
    return undefined;
  },
  excludes: ({ air }) => {
    const exclude: string[] = [];
    for (const dir of air.get('build', 'exclude_dir', 'strings') ?? []) {
      const glob = air.dirGlob(dir, 'build.exclude_dir');
      if (glob) exclude.push(glob);
    }
    for (const pattern of air.get('build', 'exclude_file', 'strings') ?? []) {
      const p = cleanRelative(pattern);
      if (p) exclude.push(p);
    }
    for (const [key, fallback] of [
      ['tmp_dir', 'tmp'],
      ['testdata_dir', 'testdata'],
    ] as const) {
      const value = air.get('', key, 'string');
      const abs = path.resolve(air.airRoot, value && value.trim() !== '' ? value : fallback);
      if (isInside(air.airRoot, abs)) exclude.push(`${escapeGlob(toSlash(path.relative(air.airRoot, abs)))}/**`);
    }
    return exclude.length > 0 ? unique(exclude) : undefined;
  },
  includeDirs: ({ air }) => {
    const dirs = air.get('build', 'include_dir', 'strings');
    if (dirs === undefined) return undefined;
    return unique(dirs.flatMap((dir) => air.dirGlob(dir, 'build.include_dir') ?? []));
  },
  // Those files count whatever their extension, as in air.
  includeFiles: ({ air }) => {
    const files = air.get('build', 'include_file', 'strings');
    if (files === undefined) return undefined;
    const always: string[] = [];
    for (const f of files) {
      const abs = path.resolve(air.airRoot, cleanRelative(f));
      if (!isInside(air.airRoot, abs)) {
        air.warn('build.include_file', `build.include_file "${f}" is outside root (${air.airRoot}): hot reload watches only under root, so it is ignored`);
        continue;
      }
      always.push(escapeGlob(toSlash(path.relative(air.airRoot, abs))));
    }
    return unique(always);
  },
  // Searched in the root-relative path here; air searches the absolute path.
  regexes: ({ air }) => air.get('build', 'exclude_regex', 'strings')?.filter((r) => r !== ''),
  // air skips env files that do not exist (its example lists ".env" for everyone).
  envFiles: ({ air }) =>
    air
      .get('', 'env_files', 'strings')
      ?.filter((f) => f.trim() !== '')
      .map((f) => path.resolve(air.airRoot, expandHome(f.trim())))
      .filter((f) => fs.existsSync(f)),
  commands: ({ air, keys }) => air.pick(split(keys[0])[1], 'strings')?.filter((c) => c.trim() !== ''),
  buildCommand: ({ air }) => air.pick('cmd', 'string')?.trim() || undefined,
  // Informative: the command still builds.
  goBuildPackage: ({ air }) => {
    const cmd = air.pick('cmd', 'string')?.trim();
    return cmd ? goBuildPackage(cmd) : undefined;
  },
  binary: (input) => input.runLine().binary,
  args: (input) => input.runLine().args,
  binEnv: (input) => input.runLine().env,
  // In a Node project (package.json, no go.mod) full_bin is the command that runs the program.
  nodeCommand: ({ air }) => (air.isNodeProject() ? air.pick('full_bin', 'string')?.trim() || undefined : undefined),
  proxyEnabled: ({ air }) => {
    if (air.get('proxy', 'enabled', 'bool') !== true) return undefined;
    if (port(air, 'proxy_port') === undefined || port(air, 'app_port') === undefined) {
      air.warn('proxy.enabled', 'proxy.enabled is true but proxy_port or app_port is missing: set both (e.g. proxy_port = 8090, app_port = 8080)');
    }
    return 'proxy';
  },
  // Read (and type-checked) even when the proxy is off, so mistakes are not silent.
  proxyPort: ({ air, keys }) => {
    const key = split(keys[0])[1];
    if (air.get('proxy', 'enabled', 'bool') !== true) {
      air.get('proxy', key, 'number');
      return undefined;
    }
    return port(air, key);
  },
};

function cleanRelative(p: string): string {
  let s = p.trim();
  while (s.startsWith('./')) s = s.slice(2);
  return s;
}
