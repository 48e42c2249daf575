import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFilesMatcher, parseTsconfig, type TsConfigJsonResolved } from 'get-tsconfig';
import { isAtOrInside, isFile } from '../../kernel/paths';
import type { TreeLayout } from '../../../runtime/node/build/protocol';

/** Code a Node program is built from. */
const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const DECLARATION = /\.d\.(?:[^.]+\.)?[cm]?ts$/i;
/** Folders never walked for sources. */
const NEVER = new Set(['node_modules', 'bower_components', 'jspm_packages']);
/** Without a tsconfig: folders of output, tests and coverage are not the program's sources. */
const NOT_SOURCES = new Set(['dist', 'build', 'out', 'coverage', 'test', 'tests', '__tests__', '__mocks__']);
const TEST_FILE = /\.(?:test|spec|e2e-spec)\.[cm]?[jt]sx?$/i;

/** The sources of a Node program and where they land in its built tree. */
export interface SourceSet {
  files: string[];
  layout: TreeLayout;
  /** The tsconfig that chose them, if any (tsconfig.build.json before tsconfig.json, as `nest build` has it). */
  tsconfig?: string;
  /** Whether tsconfig asks for decorator metadata. */
  decoratorMetadata: boolean;
  /** Whether a file (one that does not exist yet, say) would be a source. */
  matches(file: string): boolean;
}

/**
 * What tsc would compile: the files of the package's build tsconfig (`files`, `include`,
 * `exclude`, `extends` followed), or without one every JavaScript and TypeScript file but tests
 * and output folders. The entry is a source whatever the tsconfig says. The layout mirrors the
 * workspace root when the package is in a workspace, so a linked sibling package's sources build
 * into the same tree, and places tsc's `outDir` where a run command (`node dist/main.js`) looks.
 */
export function readSourceSet(packageRoot: string, entry?: string): SourceSet {
  const tsconfig = ['tsconfig.build.json', 'tsconfig.json'].map((name) => path.join(packageRoot, name)).find(isFile);
  let config: TsConfigJsonResolved | undefined;
  try {
    config = tsconfig ? parseTsconfig(tsconfig) : undefined;
  } catch {
    config = undefined; // esbuild reports a tsconfig it cannot read, at its line
  }
  const options = config?.compilerOptions ?? {};
  const outDir = options.outDir ? path.resolve(path.dirname(tsconfig!), options.outDir) : undefined;
  const matcher = config && tsconfig ? createFilesMatcher({ path: tsconfig, config }) : undefined;
  const matches = (file: string): boolean => {
    if (!CODE.test(file) || DECLARATION.test(file) || !isAtOrInside(packageRoot, file)) return false;
    const parts = path.relative(packageRoot, file).split(path.sep);
    if (parts.some((p) => NEVER.has(p) || p.startsWith('.')) || (outDir && isAtOrInside(outDir, file))) return false;
    if (matcher) return matcher(file) !== undefined;
    return !parts.slice(0, -1).some((p) => NOT_SOURCES.has(p)) && !TEST_FILE.test(file);
  };
  const files = walk(packageRoot, matches);
  if (entry && !files.includes(entry)) files.push(entry);
  const root = workspaceRoot(packageRoot) ?? packageRoot;
  const rootDir = outDir ? (options.rootDir ? path.resolve(path.dirname(tsconfig!), options.rootDir) : commonFolder(files, packageRoot)) : undefined;
  const layout: TreeLayout = outDir && rootDir && isAtOrInside(root, outDir) && isAtOrInside(root, rootDir) ? { root, outDir, rootDir } : { root };
  return { files, layout, tsconfig, decoratorMetadata: options.emitDecoratorMetadata === true && options.experimentalDecorators === true, matches };
}

function walk(dir: string, matches: (file: string) => boolean, found: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (NEVER.has(entry.name) || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, matches, found);
    else if (entry.isFile() && matches(full)) found.push(full);
  }
  return found;
}

/** tsc's rootDir when none is set: the deepest folder holding every source. */
function commonFolder(files: readonly string[], fallback: string): string {
  if (files.length === 0) return fallback;
  let common = path.dirname(files[0]);
  for (const file of files) while (!isAtOrInside(common, file)) common = path.dirname(common);
  return common;
}

/** The nearest folder above the package that declares workspaces (package.json `workspaces`, pnpm-workspace.yaml). */
export function workspaceRoot(packageRoot: string): string | undefined {
  for (let dir = path.dirname(packageRoot); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (isFile(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { workspaces?: unknown };
      if (manifest.workspaces) return dir;
    } catch {
      // no package.json here, or not one we can read
    }
  }
  return undefined;
}
