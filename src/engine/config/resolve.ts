import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compilePathRegex } from '../watch/filter';
import { readAirToml, readAirTomlFile } from './airToml';
import { defaultSettings } from './defaults';
import {
  describeChoice,
  discoverMainPackages,
  findModuleRoot,
  findNestedModuleRoots,
  toGoRelative,
  type DiscoverOptions,
  type DiscoverResult,
} from './discover';
import { loadEnvFiles } from './envFile';
import type { ConfigProblem, PartialSettings, Settings } from './settings';
import { parseListenAddress } from '../run/publicAddress';

export interface ResolveOptions {
  /**
   * The air config file given with air's `-c` flag (absolute, or relative to root). Without it,
   * `<root>/.air.toml` (or `<root>/.config/air.toml`) is read when present.
   */
  airTomlPath?: string;
  /** Do not read any air config file. */
  ignoreAirToml?: boolean;
  /** A name per layer for problems, e.g. ["hotReload settings", "command line"]. */
  layerSources?: string[];
  /** For package discovery: the go command, its environment and time limit. */
  goBin?: string;
  env?: NodeJS.ProcessEnv;
  discoverTimeoutMs?: number;
  /** Replaces `discoverMainPackages` (for tests and front ends that cache it). */
  discover?: (moduleRoot: string, opts: DiscoverOptions) => Promise<DiscoverResult>;
}

export interface ResolveResult {
  /** Only when no problem is an error. */
  settings?: Settings;
  problems: ConfigProblem[];
}

type Key = keyof Settings;
type FieldKind = 'string' | 'optionalString' | 'strings' | 'record' | 'bool' | 'number' | 'optionalNumber';

const FIELDS: Record<Key, FieldKind> = {
  root: 'string',
  moduleRoot: 'string',
  package: 'string',
  buildCommand: 'optionalString',
  binary: 'optionalString',
  buildFlags: 'strings',
  buildEnv: 'record',
  preBuildCommands: 'strings',
  postStopCommands: 'strings',
  args: 'strings',
  env: 'record',
  envFiles: 'strings',
  cwd: 'string',
  include: 'strings',
  exclude: 'strings',
  excludeRegex: 'strings',
  alwaysInclude: 'strings',
  extensions: 'strings',
  useGitignore: 'bool',
  stopSignal: 'string',
  gracePeriodMs: 'number',
  debounceMs: 'number',
  crashWindowMs: 'number',
  watcher: 'string',
  pollIntervalMs: 'number',
  keepRunningOnBuildError: 'bool',
  rerun: 'bool',
  rerunDelayMs: 'number',
  strategy: 'string',
  workDir: 'string',
  clearOnReload: 'bool',
  cleanOnExit: 'bool',
  proxyPort: 'optionalNumber',
  appPort: 'optionalNumber',
  listenAddress: 'optionalString',
  readyTimeoutMs: 'optionalNumber',
  drainTimeoutMs: 'optionalNumber',
  healthPath: 'optionalString',
  plugins: 'strings',
  patchLimit: 'optionalNumber',
  patchMemoryMB: 'optionalNumber',
};

const KIND_TEXT: Record<FieldKind, string> = {
  string: 'a string',
  optionalString: 'a string',
  strings: 'an array of strings',
  record: 'an object of string values',
  bool: 'true or false',
  number: 'a number',
  optionalNumber: 'a number',
};

const STRATEGIES = ['auto', 'restart', 'handoff', 'proxy', 'patch'];
const WATCHERS = ['native', 'polling'];
const DURATIONS: Key[] = ['gracePeriodMs', 'debounceMs', 'crashWindowMs', 'pollIntervalMs', 'rerunDelayMs'];

/**
 * Builds the settings for one target: defaults ← .air.toml (when present) ← each layer in order.
 * Later layers win; arrays replace; `env` and `buildEnv` merge key by key; an empty string clears
 * `buildCommand` and `binary`. Relative paths are made absolute against the final root.
 *
 * Then validates (root, module root, cwd, signal, numbers, regexes, env files, ports) and, when
 * `package` is empty and there is no `buildCommand`, discovers the main package with `go list`.
 * A `package` given as a path ("./cmd/api") is taken relative to root and rewritten relative to
 * the module root, which is where `go build` runs.
 *
 * Never throws. `settings` is returned only when no problem is an error.
 */
export async function resolveSettings(root: string, layers: PartialSettings[], opts: ResolveOptions = {}): Promise<ResolveResult> {
  const base = path.resolve(root);
  const problems: ConfigProblem[] = [];
  const merged: Settings = defaultSettings(base);
  const origin = new Map<Key, string>();
  const error = (key: Key, message: string): void => {
    problems.push({ severity: 'error', source: origin.get(key) ?? key, message });
  };

  // --- merge ------------------------------------------------------------------------------------
  if (!opts.ignoreAirToml) {
    const air = opts.airTomlPath ? readAirTomlFile(path.resolve(base, opts.airTomlPath), base) : readAirToml(base);
    if (air) {
      problems.push(...air.problems);
      applyLayer(merged, air.settings, relativeName(base, air.file), origin, problems);
    }
  }
  layers.forEach((layer, i) => applyLayer(merged, layer, opts.layerSources?.[i] ?? `settings layer ${i + 1}`, origin, problems));

  // --- paths ------------------------------------------------------------------------------------
  const s = merged;
  s.root = path.resolve(base, s.root);
  for (const key of ['cwd', 'workDir'] as const) s[key] = path.resolve(s.root, expandHome(s[key]));
  if (s.binary) s.binary = path.resolve(s.root, expandHome(s.binary));
  s.envFiles = s.envFiles.map((f) => path.resolve(s.root, expandHome(f)));
  s.extensions = normalizeExtensions(s.extensions);

  // --- validation -------------------------------------------------------------------------------
  const rootProblem = directoryProblem(s.root);
  if (rootProblem) {
    error('root', `root ${s.root} ${rootProblem}: open a folder that exists`);
    return { problems };
  }
  const cwdProblem = directoryProblem(s.cwd);
  if (cwdProblem) error('cwd', `the working directory (cwd) ${s.cwd} ${cwdProblem}: create it or change the cwd setting`);
  if (s.workDir === s.root || isInside(s.workDir, s.root))
    error('workDir', `the work dir ${s.workDir} must be a directory of its own inside or beside root, not root or above it`);

  const signal = normalizeSignal(s.stopSignal);
  if (signal) s.stopSignal = signal;
  else error('stopSignal', `stopSignal "${s.stopSignal}" is not a signal name: use e.g. "SIGTERM", "SIGINT" or "SIGQUIT"`);

  for (const key of DURATIONS) {
    const value = s[key] as number;
    if (!Number.isFinite(value) || value < 0) error(key, `${key} must be a number of milliseconds, 0 or more; got ${value}`);
  }
  for (const key of ['proxyPort', 'appPort'] as const) {
    const value = s[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 65535))
      error(key, `${key} must be a port number from 1 to 65535; got ${value}`);
  }
  for (const key of ['readyTimeoutMs', 'drainTimeoutMs'] as const) {
    const value = s[key];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) error(key, `${key} must be a number of milliseconds, 0 or more; got ${value}`);
  }
  if (s.listenAddress !== undefined) {
    const parsed = parseListenAddress(s.listenAddress);
    if (typeof parsed === 'string') error('listenAddress', parsed);
  }
  if (s.healthPath !== undefined && !s.healthPath.startsWith('/'))
    error('healthPath', `healthPath must be a path starting with "/" (e.g. "/healthz"); got ${JSON.stringify(s.healthPath)}`);
  if (!STRATEGIES.includes(s.strategy)) error('strategy', `strategy "${s.strategy}" is not one of ${STRATEGIES.join(', ')}`);
  if (!WATCHERS.includes(s.watcher)) error('watcher', `watcher "${s.watcher}" is not one of ${WATCHERS.join(', ')}`);

  for (const source of s.excludeRegex) {
    try {
      compilePathRegex(source);
    } catch (err) {
      error('excludeRegex', `excludeRegex ${JSON.stringify(source)} is not a valid regular expression (${(err as Error).message}): fix or remove it`);
    }
  }

  const envResult = loadEnvFiles(s.envFiles, origin.get('envFiles') ?? 'envFiles');
  problems.push(...envResult.problems);

  if (s.buildCommand && !s.binary)
    error('buildCommand', 'a build command is set but not the binary it produces: set binary (air: build.bin) to the file the command writes');

  // --- module root ------------------------------------------------------------------------------
  let moduleRootFound = true;
  if (origin.has('moduleRoot')) {
    s.moduleRoot = path.resolve(s.root, expandHome(s.moduleRoot));
    if (!s.buildCommand && !isFile(path.join(s.moduleRoot, 'go.mod'))) {
      error('moduleRoot', `no go.mod in ${s.moduleRoot} (the moduleRoot setting): point it at the directory holding go.mod`);
      moduleRootFound = false;
    }
  } else {
    const above = findModuleRoot(s.root);
    const below = above ? [] : findNestedModuleRoots(s.root);
    if (above) s.moduleRoot = above;
    else if (below.length === 1) s.moduleRoot = below[0];
    else if (s.buildCommand) s.moduleRoot = s.root;
    else if (below.length > 1) {
      moduleRootFound = false;
      const list = below.map((d) => toGoRelative(path.relative(s.root, d))).join(', ');
      error('moduleRoot', `found ${below.length} Go modules under ${s.root}: ${list}; pick one with --module-root ${toGoRelative(path.relative(s.root, below[0]))} or the hotReload.moduleRoot setting`);
    } else {
      moduleRootFound = false;
      error('moduleRoot', `no go.mod found in ${s.root} or any parent: run \`go mod init <name>\` there, or open the folder of your Go module`);
    }
  }

  // --- package ----------------------------------------------------------------------------------
  if (s.package !== '') {
    const normalized = normalizePackage(s.package, s.root, s.moduleRoot);
    if (normalized.error) error('package', normalized.error);
    else {
      s.package = normalized.package;
      if (!s.buildCommand && normalized.dir && directoryProblem(normalized.dir))
        error('package', `package ${s.package}: ${normalized.dir} ${directoryProblem(normalized.dir)}; set the package setting to a directory with package main`);
    }
  } else if (!s.buildCommand && moduleRootFound) {
    const discover = opts.discover ?? discoverMainPackages;
    const found = await discover(s.moduleRoot, {
      dir: isInside(s.moduleRoot, s.root) || s.root === s.moduleRoot ? s.root : s.moduleRoot,
      goBin: opts.goBin,
      env: opts.env ?? { ...process.env, ...s.buildEnv },
      buildFlags: s.buildFlags,
      timeoutMs: opts.discoverTimeoutMs,
    });
    problems.push(...found.problems);
    if (found.problems.some((p) => p.severity === 'error')) {
      // already explained
    } else if (found.packages.length === 0) {
      error('package', `no main package in ${s.moduleRoot}: add a package main with a func main, or set the package to build (--package or the hotReload.package setting)`);
    } else if (found.packages.length > 1) {
      error('package', describeChoice(found.packages));
    } else {
      s.package = found.packages[0].relative;
    }
  }

  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { settings: s, problems };
}

/** Applies one layer onto the merged settings, type-checking each value (layers may come from JSON). */
function applyLayer(target: Settings, layer: PartialSettings, source: string, origin: Map<Key, string>, problems: ConfigProblem[]): void {
  const t = target as unknown as Record<string, unknown>;
  for (const [key, raw] of Object.entries(layer) as [Key, unknown][]) {
    const kind = FIELDS[key];
    if (kind === undefined || raw === undefined) continue;
    const value = checkValue(kind, raw);
    if (value === WRONG) {
      problems.push({ severity: 'error', source, message: `${key} must be ${KIND_TEXT[kind]}, not ${JSON.stringify(raw)}` });
      continue;
    }
    // An empty root, cwd, workDir or moduleRoot would mean "here": keep what was there.
    if (value === '' && kind === 'string' && key !== 'package') continue;
    t[key] = kind === 'record' ? { ...(t[key] as Record<string, string>), ...(value as Record<string, string>) } : value;
    origin.set(key, source);
  }
}

const WRONG = Symbol('wrong type');

/** The value to store, or WRONG when it has the wrong type. */
function checkValue(kind: FieldKind, raw: unknown): unknown {
  switch (kind) {
    case 'string':
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
    case 'bool':
      return typeof raw === 'boolean' ? raw : WRONG;
    case 'number':
    case 'optionalNumber':
      return typeof raw === 'number' ? raw : WRONG;
  }
}

/** "SIGINT", "sigint", "INT", "int" → "SIGINT"; undefined when no such signal. */
export function normalizeSignal(name: string): NodeJS.Signals | undefined {
  if (typeof name !== 'string') return undefined;
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.prototype.hasOwnProperty.call(os.constants.signals, full) ? (full as NodeJS.Signals) : undefined;
}

function normalizeExtensions(extensions: string[]): string[] {
  const cleaned = extensions.map((e) => e.trim().replace(/^\*?\./, '')).filter((e) => e !== '');
  return cleaned.includes('*') ? [] : [...new Set(cleaned)];
}

/** A path-like package ("./cmd/api", "cmd/api" is an import path) rewritten relative to the module root. */
function normalizePackage(pkg: string, root: string, moduleRoot: string): { package: string; dir?: string; error?: string } {
  const p = pkg.trim();
  const pathLike = p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || path.isAbsolute(p) || p.startsWith('.\\');
  if (!pathLike || p.includes('...')) return { package: p };
  const dir = path.resolve(root, p);
  const rel = path.relative(moduleRoot, dir);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))
    return { package: p, error: `package ${p} (${dir}) is outside the Go module at ${moduleRoot}: pick a package inside it` };
  return { package: toGoRelative(rel), dir };
}

function directoryProblem(dir: string): string | undefined {
  try {
    return fs.statSync(dir).isDirectory() ? undefined : 'is not a directory';
  } catch {
    return 'does not exist';
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Whether `child` is strictly inside `parent`. */
function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function relativeName(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
