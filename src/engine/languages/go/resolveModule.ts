import * as path from 'node:path';
import { directoryProblem, expandHome, isAtOrInside, isDirectory, isFile, isInside } from '../../kernel/paths';
import type { ConfigProblem, Settings } from '../../settings/types';
import type { ResolveTargetOptions } from '../language';
import { workFile, workModules } from './goWork';
import { describeChoice, discoverMainPackages, findModuleRoot, findNestedModuleRoots, toGoRelative, type DiscoverOptions, type DiscoverResult } from './discover';

export type Discover = (moduleRoot: string, opts: DiscoverOptions) => Promise<DiscoverResult>;

/**
 * Finds the Go module (go.mod at, above or below root, unless moduleRoot is set) and the main
 * package: a `package` given as a path ("./cmd/api") is taken relative to root and rewritten
 * relative to the module root, where `go build` runs; an empty one is discovered with `go list`.
 * With a custom build command neither is required.
 */
export async function resolveGoTarget(s: Settings, options: ResolveTargetOptions, discover: Discover = discoverMainPackages): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const error = (key: 'moduleRoot' | 'package', message: string): void => {
    problems.push({ severity: 'error', source: options.sourceOf(key), message });
  };

  let moduleRootFound = true;
  if (options.explicit.has('moduleRoot')) {
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
    else if (below.length > 1 && (await workspaceProgram(s, below, options, discover))) {
      // A go.work workspace with one module that has programs: that module builds, the whole workspace is watched.
    } else if (below.length > 1) {
      moduleRootFound = false;
      const list = below.map((d) => toGoRelative(path.relative(s.root, d))).join(', ');
      error('moduleRoot', `found ${below.length} Go modules under ${s.root}: ${list}; pick one with --module-root ${toGoRelative(path.relative(s.root, below[0]))} or the hotReload.moduleRoot setting`);
    } else {
      moduleRootFound = false;
      error('moduleRoot', `no go.mod found in ${s.root} or any parent: run \`go mod init <name>\` there, or open the folder of your Go module`);
    }
  }

  if (moduleRootFound) watchWorkspace(s, options.env ?? { ...process.env, ...s.buildEnv });

  if (s.package.trim().startsWith('-')) {
    error('package', `package ${JSON.stringify(s.package)} looks like a flag: the package setting takes a package such as ./cmd/server; put go build flags in buildFlags (--build-flag)`);
  } else if (s.package !== '') {
    const normalized = normalizePackage(s.package, s.root, s.moduleRoot);
    if (normalized.error) error('package', normalized.error);
    else {
      s.package = normalized.package;
      if (!s.buildCommand && normalized.dir && directoryProblem(normalized.dir))
        error('package', `package ${s.package}: ${normalized.dir} ${directoryProblem(normalized.dir)}; set the package setting to a directory with package main`);
    }
  } else if (!s.buildCommand && moduleRootFound) {
    const found = await discover(s.moduleRoot, {
      dir: isInside(s.moduleRoot, s.root) || s.root === s.moduleRoot ? s.root : s.moduleRoot,
      goBin: options.toolchain,
      env: options.env ?? { ...process.env, ...s.buildEnv },
      buildFlags: s.buildFlags,
      timeoutMs: options.timeoutMs,
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
  return problems;
}

/**
 * A folder with several modules below it that is a go.work workspace (opened at its top, as
 * editors do): the workspace's one module that has main packages is the one to build, with the
 * workspace around it (go build finds go.work above the module). Sets moduleRoot and says true
 * when there is exactly one such module.
 */
async function workspaceProgram(s: Settings, below: readonly string[], options: ResolveTargetOptions, discover: Discover): Promise<boolean> {
  const env = options.env ?? { ...process.env, ...s.buildEnv };
  const work = workFile(s.root, env);
  if (!work || path.dirname(work) !== s.root) return false;
  const used = workModules(work).filter((dir) => below.includes(dir));
  const withPrograms: string[] = [];
  for (const dir of used) {
    const found = await discover(dir, { dir, goBin: options.toolchain, env, buildFlags: s.buildFlags, timeoutMs: options.timeoutMs });
    if (found.packages.length > 0) withPrograms.push(dir);
  }
  if (withPrograms.length !== 1) return false;
  s.moduleRoot = withPrograms[0];
  return true;
}

/**
 * The other modules of the module's go.work that lie outside the project folder (a module of a
 * workspace opened on its own): the build reads them, so they are watched too (`alsoWatch`).
 */
function watchWorkspace(s: Settings, env: NodeJS.ProcessEnv): void {
  const work = workFile(s.moduleRoot, env);
  if (!work) return;
  const outside = workModules(work).filter((dir) => !isAtOrInside(s.root, dir) && !isAtOrInside(dir, s.root) && isDirectory(dir));
  s.alsoWatch = [...new Set([...s.alsoWatch, ...outside])];
}

/** A path-like package ("./cmd/api"; "cmd/api" is an import path) rewritten relative to the module root. */
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
