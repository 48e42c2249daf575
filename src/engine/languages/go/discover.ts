import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUp } from '../../kernel/findUp';
import { isFile } from '../../kernel/paths';
import type { ConfigProblem } from '../../settings/types';
import { isHotReloadPlugin } from './plugins';
import { goListFlags } from './goList';

/** The file that makes a folder a Go module. */
export const GO_MOD = 'go.mod';

/** The directory holding go.mod at or above `dir`, or undefined when there is none up to the filesystem root. */
export function findModuleRoot(dir: string): string | undefined {
  return findUp(dir, GO_MOD);
}

/** Directories never searched for nested modules: they hold other people's code or tool output. */
const SKIP_WHEN_SEARCHING = new Set(['node_modules', 'vendor', 'testdata']);

/**
 * Directories below `dir` (not `dir` itself), at most `maxDepth` levels down, that hold a go.mod:
 * for a workspace folder whose Go module lives in a subdirectory (e.g. `./backend`). Skips hidden
 * directories, vendor, node_modules and testdata, and does not descend into a module once found.
 * Sorted, absolute.
 */
export function findNestedModuleRoots(dir: string, maxDepth = 3): string[] {
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > maxDepth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      if (SKIP_WHEN_SEARCHING.has(entry.name)) continue;
      const sub = path.join(current, entry.name);
      if (isFile(path.join(sub, GO_MOD))) found.push(sub);
      else walk(sub, depth + 1);
    }
  };
  walk(path.resolve(dir), 1);
  return found.sort();
}

export interface MainPackage {
  /** e.g. "example.com/app/cmd/server". */
  importPath: string;
  /** Absolute directory of the package. */
  dir: string;
  /** The package relative to the module root, as `go build` run there takes it: "./cmd/server", or "." for the root. */
  relative: string;
}

export interface DiscoverOptions {
  /** Only list packages at or below this directory (default: the module root). */
  dir?: string;
  /** The go command (default "go", found on PATH). */
  goBin?: string;
  /** Environment for `go list` (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The build flags; the ones that change which files belong to a package (-tags, -mod, -modfile) are passed on. */
  buildFlags?: readonly string[];
  /** Give up after this many ms (default 30000). */
  timeoutMs?: number;
}

export interface DiscoverResult {
  packages: MainPackage[];
  problems: ConfigProblem[];
}

const SOURCE = 'go list';
/** Name, import path, dir, and the package's error (Go-quoted, so it stays on one line). */
const LIST_FORMAT = '{{.Name}}\t{{.ImportPath}}\t{{.Dir}}\t{{with .Error}}{{printf "%q" .Err}}{{end}}';

/**
 * The main packages of a module, found with
 * `go list -e -find -f '{{.Name}}\t{{.ImportPath}}\t{{.Dir}}\t<error>' ./...` run in `opts.dir` (default:
 * the module root). `-e` keeps a package with a syntax error from hiding the others, `-find` skips
 * loading dependencies, and the module proxy is off (see below), so this needs no network. Packages under vendor/
 * or testdata/ are skipped; a package go cannot read at all (its package clause is broken) is a
 * warning, since it may be the main package the user means. Spawned without a shell, with a timeout. Never throws: a missing Go
 * toolchain, a broken go.mod or a timeout become error problems.
 */
export async function discoverMainPackages(moduleRoot: string, opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const root = path.resolve(moduleRoot);
  const cwd = opts.dir ? path.resolve(opts.dir) : root;
  const goBin = opts.goBin ?? 'go';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const args = ['list', '-e', '-find', ...goListFlags(opts.buildFlags ?? []), '-f', LIST_FORMAT, './...'];

  // Go 1.26 fetches the dependencies' zips even for -find on a cold module cache (seconds, or a
  // minute for a large module graph, before anything could show progress). With the proxy off it
  // lists the same packages without them; the build then downloads, and says so. Only when that
  // fails (some go.mod needs a lookup) is it run again as the user's go would.
  const offline = await listPackages(goBin, args, { cwd, env: { ...(opts.env ?? process.env), GOPROXY: 'off' }, timeoutMs });
  const result = offline.error ? await listPackages(goBin, args, { cwd, env: opts.env ?? process.env, timeoutMs }) : offline;

  if (result.error) return listFailure(result.error, result.stderr, { cwd, goBin: opts.goBin, timeoutMs });
  return readListing(result.stdout, root);
}

/** The problem a failed `go list` is: no toolchain, too slow, or what go said. */
function listFailure(error: ListError, stderr: string, context: { cwd: string; goBin: string | undefined; timeoutMs: number }): DiscoverResult {
  const { cwd, timeoutMs } = context;
  if (error.code === 'ENOENT') {
    const where = context.goBin ? `at ${context.goBin}` : '("go" is not on PATH)';
    return {
      packages: [],
      problems: [
        {
          severity: 'error',
          source: SOURCE,
          message: `Go toolchain not found ${where}: install Go from https://go.dev/dl or set PATH so that \`go version\` works in a terminal, then try again`,
        },
      ],
    };
  }
  if (error.killed) {
    return {
      packages: [],
      problems: [
        {
          severity: 'error',
          source: SOURCE,
          message: `\`go list ./...\` in ${cwd} did not finish within ${Math.round(timeoutMs / 1000)}s: set the package to build (--package or the hotReload.package setting) to skip discovery`,
        },
      ],
    };
  }
  const detail = stderr.trim() || error.message;
  return {
    packages: [],
    problems: [
      {
        severity: 'error',
        source: SOURCE,
        message: `\`go list ./...\` failed in ${cwd}: ${detail}`,
      },
    ],
  };
}

/** The main packages in `go list`'s lines, and a warning for each package go could not read. */
function readListing(stdout: string, root: string): DiscoverResult {
  const packages: MainPackage[] = [];
  const problems: ConfigProblem[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const [name, importPath, dir, quotedError] = line.split('\t');
    if (!importPath || !dir) continue;
    const rel = path.relative(root, dir);
    const segments = rel.split(path.sep);
    if (segments.includes('vendor') || segments.includes('testdata')) continue;
    // A live-patch plugin is a package main too, but it is loaded by a program, never run.
    if (name === 'main' && !isHotReloadPlugin(dir)) packages.push({ importPath, dir, relative: toGoRelative(rel) });
    else if (!name && quotedError) {
      // go could not even read the package clause: it may be the main package the user means.
      problems.push({
        severity: 'warning',
        source: SOURCE,
        message: `package ${toGoRelative(rel)} could not be read (${unquote(quotedError)}), so it is not known whether it is a main package`,
      });
    }
  }
  return { packages, problems };
}

/**
 * The message for several main packages: "found 3 main packages: ./cmd/api, ./cmd/worker, .;
 * pick one with --package ./cmd/api or the hotReload.package setting". Lists them in the given
 * order and suggests the first.
 */
export function describeChoice(packages: readonly Pick<MainPackage, 'relative'>[]): string {
  const list = packages.map((p) => p.relative).join(', ');
  const example = packages[0]?.relative ?? './cmd/server';
  return `found ${packages.length} main packages: ${list}; pick one with --package ${example} or the hotReload.package setting`;
}

/** "cmd/server" → "./cmd/server", "" → ".", with forward slashes on every platform. */
export function toGoRelative(rel: string): string {
  const slashed = rel.split(path.sep).join('/');
  if (slashed === '' || slashed === '.') return '.';
  if (slashed.startsWith('../')) return slashed;
  return `./${slashed}`;
}


type ListError = Error & { code?: unknown; killed?: boolean };
type ListResult = { error: ListError | null; stdout: string; stderr: string };

function listPackages(goBin: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ListResult> {
  return new Promise<ListResult>((resolve) => {
    try {
      execFile(
        goBin,
        args,
        { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
        (error, stdout, stderr) => resolve({ error, stdout: String(stdout), stderr: String(stderr) }),
      );
    } catch (error) {
      resolve({ error: error as Error, stdout: '', stderr: '' });
    }
  });
}

function unquote(quoted: string): string {
  try {
    return String(JSON.parse(quoted));
  } catch {
    return quoted;
  }
}

