import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { escapeGlob } from '../watch/filter';
import type { ConfigProblem, PartialSettings } from './settings';

/**
 * Reads air's configuration file (https://github.com/air-verse/air, `air_example.toml`) into a
 * settings layer, so a project set up for air hot-reloads here unchanged.
 *
 * Mapping (air key → setting):
 * - `root` → `root` (relative to the directory air runs in; `~/` expanded). Every other relative
 *   path in the file is relative to it, as in air.
 * - `tmp_dir` (default "tmp"), `testdata_dir` (default "testdata") → excluded from watching.
 * - `env_files` → `envFiles` (relative to root). Files that do not exist are dropped, as air does.
 * - `build.cmd` → `buildCommand`; when it is a plain `go build [flags] [pkg]`, `package` is also
 *   set to its package (informative: the command still builds). No `cmd` means hot reload's own
 *   `go build` with package discovery, not air's default command.
 * - `build.bin` / `build.entrypoint` / `build.full_bin` → `binary` (absolute), only with a `cmd`:
 *   it is the file the command produces (air's default "./tmp/main" when none is given). Words
 *   after the executable → `args`; `NAME=value` words before it in `full_bin` → `env`. A `full_bin`
 *   that runs another program (e.g. `dlv exec ./tmp/main`) or needs a shell (`&&`, `|`, `$VAR`)
 *   cannot be honoured: a warning says so and only its variables are used.
 * - `build.args_bin` → appended to `args`.
 * - `build.include_ext` → `extensions` (`["*"]` → any).
 * - `build.exclude_dir` → `exclude` ("dir/**"), `build.exclude_file` → `exclude` (air's globs),
 *   `build.include_dir` → `include` ("dir/**"), `build.include_file` → `alwaysInclude` (those
 *   files count whatever their extension, as in air), `build.exclude_regex` → `excludeRegex`
 *   (searched in the root-relative path here; air searches the absolute path).
 * - `build.pre_cmd` → `preBuildCommands`, `build.post_cmd` → `postStopCommands`.
 * - `build.delay` (ms) → `debounceMs`; `build.poll` → `watcher: "polling"`;
 *   `build.poll_interval` (ms, when > 0) → `pollIntervalMs`.
 * - `build.stop_on_error` → `keepRunningOnBuildError = !stop_on_error`.
 * - `build.send_interrupt = true` → `stopSignal: "SIGINT"`. With `false` air kills at once with
 *   SIGKILL; hot reload keeps its default (SIGTERM, then SIGKILL after the grace period).
 * - `build.kill_delay` → `gracePeriodMs` when > 0 (a duration string like "500ms"/"1s", or a
 *   number read as air reads it: below 1,000,000 it is milliseconds, from there nanoseconds).
 *   0 keeps the default grace period: air's "0s" default would otherwise kill without a chance
 *   to shut down.
 * - `build.rerun` → `rerun`, `build.rerun_delay` (ms) → `rerunDelayMs`.
 * - `[build.windows]`, `[build.darwin]`, `[build.linux]`: the current platform's table overrides
 *   `pre_cmd`, `cmd`, `post_cmd`, `bin`, `entrypoint`, `full_bin`, `args_bin`, as in air.
 * - `misc.clean_on_exit` → `cleanOnExit` (deletes hot reload's work dir, not air's tmp_dir);
 *   `screen.clear_on_rebuild` → `clearOnReload`.
 * - `proxy.enabled = true` → `strategy: "proxy"`, `proxy.proxy_port` → `proxyPort`,
 *   `proxy.app_port` → `appPort`.
 * - Accepted with no effect: `build.log`, `build.exclude_unchanged` (always on here),
 *   `build.ignore_dangerous_root_dir`, `[color]`, `[log]`, `misc.startup_banner`,
 *   `screen.keep_scroll`, `proxy.app_start_timeout`.
 * - Warned about: `build.follow_symlink = true` and `[[build.rules]]` (not supported), every
 *   unknown key (misspelt, or from a newer air: named with its table, with a suggestion), every
 *   value of the wrong type (named with the type expected; the value is then ignored).
 *
 * Problems carry the file, and the line and column where known, for the editor to point at.
 */

export interface AirTomlResult {
  /** The settings layer; paths in it are absolute. */
  settings: PartialSettings;
  problems: ConfigProblem[];
  /** The file read, absolute. */
  file: string;
}

/** The files air reads when not given `-c`, in order. */
export const AIR_CONFIG_NAMES: readonly string[] = ['.air.toml', path.join('.config', 'air.toml')];

/** The air config file air itself would read in `root`, or undefined when there is none. */
export function findAirToml(root: string): string | undefined {
  for (const name of AIR_CONFIG_NAMES) {
    const file = path.join(root, name);
    try {
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}

/** Reads `<root>/.air.toml` (or `<root>/.config/air.toml`); undefined when there is none. Never throws. */
export function readAirToml(root: string): AirTomlResult | undefined {
  const file = findAirToml(root);
  return file === undefined ? undefined : readAirTomlFile(file, root);
}

/**
 * Reads the file given to air's `-c` flag. `root` is the directory air would run in (relative
 * paths, including the file's own `root` key, are relative to it); by default the file's
 * directory. A file that cannot be read is an error problem. Never throws.
 */
export function readAirTomlFile(file: string, root: string = path.dirname(path.resolve(file))): AirTomlResult {
  const abs = path.resolve(root, file);
  const source = sourceName(abs, root);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `air config file ${abs} does not exist: check the path given to -c`
        : `air config file ${abs} could not be read (${(err as Error).message}): check that it is a readable file`;
    return { settings: {}, problems: [{ severity: 'error', source, message, file: abs }], file: abs };
  }
  return parseAirToml(text, { root, file: abs, source });
}

export interface ParseAirTomlOptions {
  /** The directory air runs in; relative paths are resolved against it. */
  root: string;
  /** The file the text came from, for problems. */
  file?: string;
  /** The problems' source (default ".air.toml"). */
  source?: string;
  /** Which `[build.<os>]` table applies (default: this process's platform). */
  platform?: NodeJS.Platform;
}

/** Maps the text of an air config file. Never throws. */
export function parseAirToml(text: string, opts: ParseAirTomlOptions): AirTomlResult {
  const file = path.resolve(opts.root, opts.file ?? '.air.toml');
  const source = opts.source ?? '.air.toml';
  const problems: ConfigProblem[] = [];

  let doc: Record<string, unknown>;
  try {
    doc = parse(text.replace(/^\uFEFF/, ''), { integersAsBigInt: 'asNeeded' }) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
      problems.push({
        severity: 'error',
        source,
        file,
        line: err.line,
        column: err.column,
        message:
          `${source} is not valid TOML at line ${err.line}, column ${err.column}: ${reason}. ` +
          'Fix the syntax there (strings need matching quotes, arrays look like ["a", "b"], each key once per table), or delete the file to use the defaults.',
      });
    } else {
      problems.push({ severity: 'error', source, file, message: `${source} could not be read as TOML: ${(err as Error).message}` });
    }
    return { settings: {}, problems, file };
  }

  const mapper = new AirMapper(text, doc, { ...opts, file, source }, problems);
  return { settings: mapper.map(), problems, file };
}

// ---------------------------------------------------------------------------------------------
// Schema: every key air knows (runner/config.go), and the type it takes.

type Kind = 'string' | 'strings' | 'stringOrStrings' | 'bool' | 'number' | 'duration' | 'table' | 'tables';

const BUILD_COMMON: Record<string, Kind> = {
  pre_cmd: 'strings',
  cmd: 'string',
  post_cmd: 'strings',
  bin: 'string',
  entrypoint: 'stringOrStrings',
  full_bin: 'string',
  args_bin: 'strings',
};

const SCHEMA: Record<string, Record<string, Kind>> = {
  '': {
    root: 'string',
    tmp_dir: 'string',
    testdata_dir: 'string',
    env_files: 'strings',
    build: 'table',
    color: 'table',
    log: 'table',
    misc: 'table',
    screen: 'table',
    proxy: 'table',
  },
  build: {
    ...BUILD_COMMON,
    log: 'string',
    include_ext: 'strings',
    exclude_dir: 'strings',
    include_dir: 'strings',
    exclude_file: 'strings',
    include_file: 'strings',
    exclude_regex: 'strings',
    exclude_unchanged: 'bool',
    ignore_dangerous_root_dir: 'bool',
    follow_symlink: 'bool',
    poll: 'bool',
    poll_interval: 'number',
    delay: 'number',
    stop_on_error: 'bool',
    send_interrupt: 'bool',
    kill_delay: 'duration',
    rerun: 'bool',
    rerun_delay: 'number',
    rules: 'tables',
    windows: 'table',
    darwin: 'table',
    linux: 'table',
  },
  'build.windows': BUILD_COMMON,
  'build.darwin': BUILD_COMMON,
  'build.linux': BUILD_COMMON,
  'build.rules': {
    name: 'string',
    cmd: 'string',
    include_dir: 'strings',
    include_ext: 'strings',
    include_file: 'strings',
    exclude_regex: 'strings',
    delay: 'number',
  },
  color: { main: 'string', watcher: 'string', build: 'string', runner: 'string', mode: 'string', app: 'string' },
  log: { time: 'bool', main_only: 'bool', silent: 'bool' },
  misc: { clean_on_exit: 'bool', startup_banner: 'string' },
  screen: { clear_on_rebuild: 'bool', keep_scroll: 'bool' },
  proxy: { enabled: 'bool', proxy_port: 'number', app_port: 'number', app_start_timeout: 'number' },
};

const KIND_TEXT: Record<Kind, string> = {
  string: 'a string',
  strings: 'an array of strings, e.g. ["a", "b"]',
  stringOrStrings: 'a string or an array of strings',
  bool: 'true or false',
  number: 'a number',
  duration: 'a duration such as "500ms" or "1s", or a number',
  table: 'a table',
  tables: 'an array of tables ([[...]])',
};

const PLATFORM_TABLE: Partial<Record<NodeJS.Platform, string>> = { win32: 'windows', darwin: 'darwin', linux: 'linux' };

type Table = Record<string, unknown>;

class AirMapper {
  private readonly locations: Map<string, { line: number; column: number }>;
  private readonly base: string;
  private readonly airRoot: string;
  private readonly platform: NodeJS.Platform;

  constructor(
    text: string,
    private readonly doc: Table,
    private readonly opts: ParseAirTomlOptions & { file: string; source: string },
    private readonly problems: ConfigProblem[],
  ) {
    this.locations = locateKeys(text);
    this.base = path.resolve(opts.root);
    this.platform = opts.platform ?? process.platform;
    const root = this.get('', 'root', 'string');
    this.airRoot = root && root.trim() !== '' ? path.resolve(this.base, expandHome(root.trim())) : this.base;
  }

  map(): PartialSettings {
    this.checkKeys(this.doc, '');
    const s: PartialSettings = {};
    if (this.airRoot !== this.base) s.root = this.airRoot;

    this.mapWatching(s);
    this.mapBuildAndRun(s);
    this.mapBehaviour(s);
    return s;
  }

  // --- watching -------------------------------------------------------------------------------

  private mapWatching(s: PartialSettings): void {
    const exts = this.get('build', 'include_ext', 'strings');
    if (exts !== undefined) {
      const cleaned = exts.map((e) => e.trim().replace(/^\./, '')).filter((e) => e !== '');
      if (cleaned.includes('*')) s.extensions = [];
      else if (cleaned.length === 0)
        this.warn(
          'build.include_ext',
          'build.include_ext is empty: air would then watch only include_file, hot reload keeps its default extensions; list the extensions to watch, or ["*"] for every file',
        );
      else s.extensions = cleaned;
    }

    const exclude: string[] = [];
    for (const dir of this.get('build', 'exclude_dir', 'strings') ?? []) {
      const glob = this.dirGlob(dir, 'build.exclude_dir');
      if (glob) exclude.push(glob);
    }
    for (const pattern of this.get('build', 'exclude_file', 'strings') ?? []) {
      const p = cleanRelative(pattern);
      if (p) exclude.push(p);
    }
    for (const [key, fallback] of [
      ['tmp_dir', 'tmp'],
      ['testdata_dir', 'testdata'],
    ] as const) {
      const value = this.get('', key, 'string');
      const dir = value && value.trim() !== '' ? value : fallback;
      const abs = path.resolve(this.airRoot, dir);
      if (isInside(this.airRoot, abs)) exclude.push(`${escapeGlob(toSlash(path.relative(this.airRoot, abs)))}/**`);
    }
    if (exclude.length > 0) s.exclude = unique(exclude);

    const includeDirs = this.get('build', 'include_dir', 'strings');
    if (includeDirs !== undefined) {
      const include: string[] = [];
      for (const dir of includeDirs) {
        const glob = this.dirGlob(dir, 'build.include_dir');
        if (glob) include.push(glob);
      }
      s.include = unique(include);
    }

    const includeFiles = this.get('build', 'include_file', 'strings');
    if (includeFiles !== undefined) {
      const always: string[] = [];
      for (const f of includeFiles) {
        const abs = path.resolve(this.airRoot, cleanRelative(f));
        if (!isInside(this.airRoot, abs)) {
          this.warn('build.include_file', `build.include_file "${f}" is outside root (${this.airRoot}): hot reload watches only under root, so it is ignored`);
          continue;
        }
        always.push(escapeGlob(toSlash(path.relative(this.airRoot, abs))));
      }
      s.alwaysInclude = unique(always);
    }

    const regexes = this.get('build', 'exclude_regex', 'strings');
    if (regexes !== undefined) s.excludeRegex = regexes.filter((r) => r !== '');

    const envFiles = this.get('', 'env_files', 'strings');
    if (envFiles !== undefined) {
      // air skips env files that do not exist (its example lists ".env" for everyone).
      s.envFiles = envFiles
        .filter((f) => f.trim() !== '')
        .map((f) => path.resolve(this.airRoot, expandHome(f.trim())))
        .filter((f) => fs.existsSync(f));
    }

    if (this.get('build', 'follow_symlink', 'bool') === true)
      this.warn(
        'build.follow_symlink',
        'build.follow_symlink is not supported: changes inside symlinked directories may not trigger a reload; watch the link targets directly instead',
      );
  }

  /** "assets/" → "assets/**", relative to root; undefined (with a warning) when unusable. */
  private dirGlob(dir: string, key: string): string | undefined {
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

  // --- build and run --------------------------------------------------------------------------

  private mapBuildAndRun(s: PartialSettings): void {
    const osTable = PLATFORM_TABLE[this.platform];
    // air applies a platform override when it is present and, for strings, non-empty.
    const pick = <T>(read: (table: string) => T | undefined): T | undefined => {
      if (osTable) {
        const override = read(`build.${osTable}`);
        if (override !== undefined && (override as unknown) !== '') return override;
      }
      return read('build');
    };
    const pre = pick((t) => this.get(t, 'pre_cmd', 'strings'));
    if (pre !== undefined) s.preBuildCommands = pre.filter((c) => c.trim() !== '');
    const post = pick((t) => this.get(t, 'post_cmd', 'strings'));
    if (post !== undefined) s.postStopCommands = post.filter((c) => c.trim() !== '');

    const cmd = pick((t) => this.get(t, 'cmd', 'string'))?.trim();
    if (cmd) {
      s.buildCommand = cmd;
      const pkg = goBuildPackage(cmd);
      if (pkg !== undefined) s.package = pkg;
    }

    const bin = pick((t) => this.get(t, 'bin', 'string'))?.trim();
    const entrypointValue = pick((t) => this.get(t, 'entrypoint', 'stringOrStrings'));
    const entrypoint = typeof entrypointValue === 'string' ? [entrypointValue] : entrypointValue?.filter((e) => e !== '');
    const fullBin = pick((t) => this.get(t, 'full_bin', 'string'))?.trim();
    const argsBin = pick((t) => this.get(t, 'args_bin', 'strings'));

    const env: Record<string, string> = {};
    const args: string[] = [];
    let binaryWord: string | undefined;

    let binWords: string[] | undefined;
    if (bin) {
      const split = splitCommandLine(bin);
      if ('words' in split && split.assignments.length === 0 && split.words.length > 0) binWords = split.words;
      else binWords = [bin]; // a path with odd characters: take it whole
    }

    if (fullBin) {
      const split = splitCommandLine(fullBin);
      if (!('words' in split)) {
        this.warn(
          'build.full_bin',
          `build.full_bin "${fullBin}" needs a shell (${split.unsupported}), which hot reload does not use to start the program: it runs the built binary directly; put variables in env or an env file, and arguments in args_bin`,
        );
      } else {
        for (const [name, value] of split.assignments) env[name] = value;
        const [exe, ...rest] = split.words;
        if (exe !== undefined) {
          const otherProgram =
            (binWords !== undefined && !this.samePath(exe, binWords[0])) ||
            (binWords === undefined && !/[/\\]/.test(exe) && !fs.existsSync(path.resolve(this.airRoot, exe)));
          if (otherProgram) {
            this.warn(
              'build.full_bin',
              `build.full_bin runs "${exe}", not the built binary${binWords ? ` (${binWords[0]})` : ''}: hot reload runs the built binary itself, so only the variables set in full_bin are used`,
            );
          } else {
            binaryWord = exe;
            args.push(...rest);
          }
        }
      }
    }
    if (binaryWord === undefined && entrypoint && entrypoint.length > 0 && !fullBin) {
      binaryWord = entrypoint[0];
      args.push(...entrypoint.slice(1));
    }
    if (binaryWord === undefined && binWords) {
      binaryWord = binWords[0];
      args.push(...binWords.slice(1));
    }
    if (argsBin !== undefined) args.push(...argsBin);

    if (s.buildCommand) {
      let binary = path.resolve(this.airRoot, expandHome(binaryWord ?? path.join('tmp', 'main')));
      if (this.platform === 'win32' && path.extname(binary) === '') binary += '.exe';
      s.binary = binary;
    }
    if (args.length > 0 || argsBin !== undefined) s.args = args;
    if (Object.keys(env).length > 0) s.env = env;
  }

  private samePath(a: string, b: string): boolean {
    return path.resolve(this.airRoot, expandHome(a)) === path.resolve(this.airRoot, expandHome(b));
  }

  // --- behaviour ------------------------------------------------------------------------------

  private mapBehaviour(s: PartialSettings): void {
    const delay = this.nonNegative('build', 'delay');
    if (delay !== undefined) s.debounceMs = delay;

    const poll = this.get('build', 'poll', 'bool');
    if (poll === true) s.watcher = 'polling';
    const pollInterval = this.nonNegative('build', 'poll_interval');
    if (pollInterval !== undefined && pollInterval > 0) s.pollIntervalMs = pollInterval;

    const stopOnError = this.get('build', 'stop_on_error', 'bool');
    if (stopOnError !== undefined) s.keepRunningOnBuildError = !stopOnError;

    if (this.get('build', 'send_interrupt', 'bool') === true) s.stopSignal = 'SIGINT';
    const killDelay = this.get('build', 'kill_delay', 'duration');
    if (killDelay !== undefined && killDelay > 0) s.gracePeriodMs = killDelay;

    const rerun = this.get('build', 'rerun', 'bool');
    if (rerun !== undefined) s.rerun = rerun;
    const rerunDelay = this.nonNegative('build', 'rerun_delay');
    if (rerunDelay !== undefined) s.rerunDelayMs = rerunDelay;

    const rules = this.get('build', 'rules', 'tables');
    if (rules !== undefined && rules.length > 0) {
      rules.forEach((rule) => this.checkKeys(rule, 'build.rules'));
      this.warn(
        'build.rules',
        `[[build.rules]] is not supported: hot reload ignores ${rules.length === 1 ? 'this rule' : `these ${rules.length} rules`}, so their commands do not run; run them with a pre_cmd or a separate watcher`,
      );
    }

    const clean = this.get('misc', 'clean_on_exit', 'bool');
    if (clean !== undefined) s.cleanOnExit = clean;
    const clear = this.get('screen', 'clear_on_rebuild', 'bool');
    if (clear !== undefined) s.clearOnReload = clear;

    if (this.get('proxy', 'enabled', 'bool') === true) {
      s.strategy = 'proxy';
      const proxyPort = this.port('proxy_port');
      const appPort = this.port('app_port');
      if (proxyPort !== undefined) s.proxyPort = proxyPort;
      if (appPort !== undefined) s.appPort = appPort;
      if (proxyPort === undefined || appPort === undefined)
        this.warn('proxy.enabled', 'proxy.enabled is true but proxy_port or app_port is missing: set both (e.g. proxy_port = 8090, app_port = 8080)');
    } else {
      // Validate the types even when the proxy is off, so mistakes are not silent.
      this.get('proxy', 'proxy_port', 'number');
      this.get('proxy', 'app_port', 'number');
    }
  }

  private port(key: string): number | undefined {
    const value = this.get('proxy', key, 'number');
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      this.warn(`proxy.${key}`, `proxy.${key} must be a port number from 1 to 65535, not ${value}; it is ignored`);
      return undefined;
    }
    return value;
  }

  private nonNegative(table: string, key: string): number | undefined {
    const value = this.get(table, key, 'number');
    if (value === undefined) return undefined;
    if (value < 0) {
      this.warn(`${table}.${key}`, `${table}.${key} must not be negative (got ${value}); it is ignored`);
      return undefined;
    }
    return value;
  }

  // --- reading values -------------------------------------------------------------------------

  private tableAt(tablePath: string): Table | undefined {
    if (tablePath === '') return this.doc;
    let current: unknown = this.doc;
    for (const part of tablePath.split('.')) {
      if (!isTable(current)) return undefined;
      current = current[part];
    }
    return isTable(current) ? current : undefined;
  }

  get(table: string, key: string, kind: 'string'): string | undefined;
  get(table: string, key: string, kind: 'strings'): string[] | undefined;
  get(table: string, key: string, kind: 'stringOrStrings'): string | string[] | undefined;
  get(table: string, key: string, kind: 'bool'): boolean | undefined;
  get(table: string, key: string, kind: 'number' | 'duration'): number | undefined;
  get(table: string, key: string, kind: 'tables'): Table[] | undefined;
  get(table: string, key: string, kind: Kind): unknown {
    const t = this.tableAt(table);
    if (!t || !(key in t)) return undefined;
    const raw = t[key];
    const value = typeof raw === 'bigint' ? Number(raw) : raw;
    const full = table === '' ? key : `${table}.${key}`;
    const wrong = (): undefined => {
      this.warn(full, `${full} must be ${KIND_TEXT[kind]}, not ${describeValue(value)}; it is ignored`);
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
          this.warn(full, `${full} must be ${KIND_TEXT[kind]}, not a string; using "${value}" as a one-item array`);
          return [value];
        }
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
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

  /** Warns about every key of `table` that air does not know, and about sub-tables of the wrong type. */
  private checkKeys(table: Table, tablePath: string): void {
    const schema = SCHEMA[tablePath] ?? {};
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
        else this.warn(full, `${full} must be ${KIND_TEXT.table} ([${full}]), not ${describeValue(sub)}; it is ignored`);
      }
    }
  }

  private warn(keyPath: string, message: string): void {
    const where = this.locations.get(keyPath);
    this.problems.push({
      severity: 'warning',
      source: this.opts.source,
      message,
      file: this.opts.file,
      ...(where ? { line: where.line, column: where.column } : {}),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Parses a Go duration ("300ms", "1.5s", "1m30s", "0") into nanoseconds; undefined when invalid.
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += parseFloat(part[1]) * units[part[2]];
  }
  return m[1] === '-' ? -total : total;
}

export type SplitCommand =
  | { assignments: [string, string][]; words: string[] }
  | { unsupported: string };

/**
 * Splits a simple shell command line into leading `NAME=value` assignments and words, with
 * POSIX quoting ('single', "double", backslash). Anything needing a real shell (`;`, `&`, `|`,
 * `<`, `>`, `(`, `)`, backquotes, `$`) gives `{ unsupported }` naming what was found.
 */
export function splitCommandLine(line: string): SplitCommand {
  const words: { text: string; assignable: boolean }[] = [];
  let current: { text: string; assignable: boolean } | undefined;
  const start = () => (current ??= { text: '', assignable: true });
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (/\s/.test(c)) {
      if (current) words.push(current);
      current = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { unsupported: 'an unterminated quote' };
      const w = start();
      if (!w.text.includes('=')) w.assignable = false;
      w.text += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const w = start();
      if (!w.text.includes('=')) w.assignable = false;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '$' || line[j] === '`') return { unsupported: `"${line[j]}" expansion` };
        if (line[j] === '\\' && j + 1 < line.length && '"\\\n'.includes(line[j + 1])) j++;
        w.text += line[j];
      }
      if (j >= line.length) return { unsupported: 'an unterminated quote' };
      i = j;
    } else if (c === '\\') {
      const w = start();
      if (i + 1 < line.length) w.text += line[++i];
    } else if (';&|<>()`$'.includes(c)) {
      return { unsupported: `"${c}"` };
    } else if (c === '#' && !current) {
      break; // a comment
    } else {
      start().text += c;
    }
  }
  if (current) words.push(current);

  const assignments: [string, string][] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(words[i].text);
    if (!m || !words[i].assignable) break;
    assignments.push([m[1], m[2]]);
  }
  return { assignments, words: words.slice(i).map((w) => w.text) };
}

/** Flags of `go build` that take a separate value. */
const GO_BUILD_VALUE_FLAGS = new Set(
  ['o', 'p', 'asmflags', 'buildmode', 'compiler', 'gccgoflags', 'gcflags', 'installsuffix', 'ldflags', 'mod', 'modfile', 'overlay', 'pgo', 'pkgdir', 'tags', 'toolexec', 'coverpkg', 'covermode', 'C'],
);

/** The package of a plain `go build [flags] [pkg]` command ("." when none); undefined otherwise. */
export function goBuildPackage(cmd: string): string | undefined {
  const split = splitCommandLine(cmd);
  if (!('words' in split) || split.assignments.length > 0) return undefined;
  const [go, build, ...rest] = split.words;
  if (go !== 'go' || build !== 'build') return undefined;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (w.startsWith('-')) {
      const name = w.replace(/^--?/, '').split('=')[0];
      if (name === 'C') return undefined; // builds in another directory
      if (GO_BUILD_VALUE_FLAGS.has(name) && !w.includes('=')) i++;
      continue;
    }
    positional.push(w);
  }
  if (positional.length === 0) return '.';
  if (positional.length === 1 && !positional[0].endsWith('.go') && !positional[0].includes('...')) return positional[0];
  return undefined;
}

/** 1-based line and column of every `key =` in the text, by full dotted path ("build.cmd"). Best effort. */
function locateKeys(text: string): Map<string, { line: number; column: number }> {
  const found = new Map<string, { line: number; column: number }>();
  let table = '';
  const lines = text.split(/\r?\n/);
  let inMultiline: string | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (inMultiline) {
      if (line.includes(inMultiline)) inMultiline = undefined;
      continue;
    }
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      table = dottedKey(header[1]);
      if (!found.has(table)) found.set(table, { line: n + 1, column: line.indexOf('[') + 1 });
      continue;
    }
    const kv = /^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=(.*)$/.exec(line);
    if (!kv) continue;
    const key = dottedKey(kv[2]);
    const full = table === '' ? key : `${table}.${key}`;
    if (!found.has(full)) found.set(full, { line: n + 1, column: kv[1].length + 1 });
    for (const quote of ['"""', "'''"]) {
      const rest = kv[3];
      const first = rest.indexOf(quote);
      if (first >= 0 && rest.indexOf(quote, first + 3) < 0) inMultiline = quote;
    }
  }
  return found;
}

function dottedKey(raw: string): string {
  return raw
    .split(/\s*\.\s*(?=(?:[^"']|"[^"]*"|'[^']*')*$)/)
    .map((part) => part.trim().replace(/^["'](.*)["']$/, '$1'))
    .join('.');
}

/** The known key nearest to a misspelt one (edit distance at most 2, or one is a prefix). */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
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

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function cleanRelative(p: string): string {
  let s = p.trim();
  while (s.startsWith('./')) s = s.slice(2);
  return s;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function sourceName(file: string, root: string): string {
  const rel = path.relative(path.resolve(root), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? toSlash(rel) : file;
}
