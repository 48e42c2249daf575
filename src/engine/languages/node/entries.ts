import * as path from 'node:path';
import { isFile } from '../../kernel/paths';
import type { PackageJson } from './project';

/** The files a Node program may start from, in the order they are tried. */
const ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'] as const;
const CONVENTIONAL_ENTRIES = ['src/server', 'src/index', 'src/main', 'server', 'index', 'main'] as const;

/** Folders that hold build output: a `main` there is built from the source of the same name in src/. */
const OUTPUT_DIRS = ['dist', 'build', 'lib', 'out'];

export interface EntryCandidate {
  /** Absolute. */
  file: string;
  /** Where it was found: "main of package.json", "bin api of package.json", "a conventional name". */
  why: string;
}

/**
 * The entries a package offers: package.json's `main` and `bin` (a `main` in a build-output folder
 * stands for its source in src/, as TypeScript projects have it), else every conventional entry
 * that exists (`src/server.ts`, `src/index.ts`, … with any of the JavaScript and TypeScript
 * extensions). Several candidates mean the user picks.
 */
export function entryCandidates(pkg: PackageJson): EntryCandidate[] {
  const declared: EntryCandidate[] = [];
  const add = (relative: string, why: string) => {
    const file = sourceOf(pkg.root, relative);
    if (file && !declared.some((c) => c.file === file)) declared.push({ file, why });
  };
  if (pkg.main) add(pkg.main, 'main of package.json');
  for (const [name, target] of Object.entries(pkg.bin)) add(target, `bin ${name} of package.json`);
  if (declared.length > 0) return declared;
  const conventional: EntryCandidate[] = [];
  for (const base of CONVENTIONAL_ENTRIES) {
    const file = ENTRY_EXTENSIONS.map((ext) => path.join(pkg.root, base + ext)).find(isFile);
    if (file) conventional.push({ file, why: 'a conventional entry name' });
  }
  return conventional;
}

/** The source file a package.json path stands for: itself, with an extension, or its source in src/. */
function sourceOf(root: string, relative: string): string | undefined {
  const file = path.resolve(root, relative);
  const parsed = path.parse(path.relative(root, file));
  const [top, ...rest] = parsed.dir.split(path.sep);
  if (OUTPUT_DIRS.includes(top)) {
    const base = path.join(root, 'src', ...rest, parsed.name);
    const source = ['.ts', '.mts', '.cts', '.tsx'].map((ext) => base + ext).find(isFile);
    if (source) return source;
  }
  if (isFile(file)) return file;
  return ENTRY_EXTENSIONS.map((ext) => file + ext).find(isFile);
}

/** "found 2 entries: src/server.ts (…), src/worker.ts (…); pick one with --entry src/server.ts or the hotReload.entry setting". */
export function describeEntryChoice(root: string, candidates: readonly EntryCandidate[]): string {
  const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const list = candidates.map((c) => `${rel(c.file)} (${c.why})`).join(', ');
  const example = candidates[0] ? rel(candidates[0].file) : 'src/server.ts';
  return `found ${candidates.length} entry files: ${list}; pick one with --entry ${example}, the hotReload.entry setting or Hot Reload: Select Target`;
}
