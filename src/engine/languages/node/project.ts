import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUp } from '../../kernel/findUp';

/** What the engine reads from a package.json. */
export interface PackageJson {
  /** The folder holding it. */
  root: string;
  type: 'module' | 'commonjs';
  main?: string;
  /** `bin` as name → file (a string bin is named after the package). */
  bin: Record<string, string>;
  /** `scripts`: name → command line. */
  scripts: Record<string, string>;
  /** Why it could not be read, if it could not. */
  problem?: string;
}

/** The file that makes a folder a Node package. */
export const PACKAGE_JSON = 'package.json';

/** The folder holding package.json at or above `dir`, or undefined. */
export function findPackageRoot(dir: string): string | undefined {
  return findUp(dir, PACKAGE_JSON);
}

/** Reads `<root>/package.json`; a file that is not JSON is a problem, never a throw. */
export function readPackageJson(root: string): PackageJson {
  const file = path.join(root, PACKAGE_JSON);
  let value: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('it is not a JSON object');
    value = parsed as Record<string, unknown>;
  } catch (err) {
    return { root, type: 'commonjs', bin: {}, scripts: {}, problem: `${file} cannot be read: ${(err as Error).message}` };
  }
  const bin: Record<string, string> = {};
  if (typeof value.bin === 'string') bin[typeof value.name === 'string' ? value.name : path.basename(root)] = value.bin;
  else if (typeof value.bin === 'object' && value.bin !== null)
    for (const [name, target] of Object.entries(value.bin)) if (typeof target === 'string') bin[name] = target;
  const scripts: Record<string, string> = {};
  if (typeof value.scripts === 'object' && value.scripts !== null)
    for (const [name, line] of Object.entries(value.scripts)) if (typeof line === 'string') scripts[name] = line;
  return {
    root,
    type: value.type === 'module' ? 'module' : 'commonjs',
    main: typeof value.main === 'string' ? value.main : undefined,
    bin,
    scripts,
  };
}

/** package.json's scripts (none when it cannot be read). */
export function readScripts(root: string): Record<string, string> {
  return readPackageJson(root).scripts;
}

/** ES module or CommonJS output, as Node would load the entry: by its extension, else package.json's `type`. */
export function moduleFormat(entry: string, pkg: Pick<PackageJson, 'type'>): 'esm' | 'cjs' {
  if (/\.m[jt]s$/.test(entry)) return 'esm';
  if (/\.c[jt]s$/.test(entry)) return 'cjs';
  return pkg.type === 'module' ? 'esm' : 'cjs';
}
