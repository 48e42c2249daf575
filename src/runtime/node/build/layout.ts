import * as path from 'node:path';
import type { TreeLayout } from './protocol';

/** Files the build compiles, each into one output module. */
const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
/** TypeScript sources and declarations: never run by Node, so never linked into the tree. */
const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/i;

export const isCode = (file: string): boolean => CODE.test(file) && !isDeclaration(file);
export const isTypeScript = (file: string): boolean => TYPESCRIPT.test(file);
const isDeclaration = (file: string): boolean => /\.d\.[cm]?ts$/i.test(file) || /\.d\.[^.]+\.ts$/i.test(file);

/** The extension Node gives a compiled module, as tsc names it: `.mts` → `.mjs`, `.cts` → `.cjs`, the rest `.js`. */
function outputExtension(file: string): '.js' | '.mjs' | '.cjs' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mts' || ext === '.mjs') return '.mjs';
  if (ext === '.cts' || ext === '.cjs') return '.cjs';
  return '.js';
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * Where `file` (a source, or any file of the project) sits in the tree, relative to the tree's
 * root: under outDir when it is under rootDir, else where it is. Code gets its output extension.
 * Undefined for a file outside the mirrored root.
 */
export function treePath(layout: TreeLayout, file: string): string | undefined {
  const placed =
    layout.outDir && layout.rootDir && inside(layout.rootDir, file)
      ? path.join(path.relative(layout.root, layout.outDir), path.relative(layout.rootDir, file))
      : path.relative(layout.root, file);
  if (placed.startsWith(`..${path.sep}`) || placed === '..' || path.isAbsolute(placed)) return undefined;
  if (!isCode(file)) return placed;
  return placed.slice(0, placed.length - path.extname(placed).length) + outputExtension(file);
}

/** The project folder whose files a tree folder shows (`dist/routes` → `src/routes` with outDir dist, rootDir src). */
export function sourceFolder(layout: TreeLayout, treeDir: string): string {
  if (layout.outDir && layout.rootDir) {
    const outRel = path.relative(layout.root, layout.outDir);
    const rel = path.relative(outRel, treeDir);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return path.join(layout.rootDir, rel);
  }
  return path.join(layout.root, treeDir);
}

/** The import specifier from one tree file to another: `./routes/root.js`, `../lib/index.js`. */
export function specifierBetween(fromTreeFile: string, toTreeFile: string): string {
  const rel = path.relative(path.dirname(fromTreeFile), toTreeFile).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The folder of a version's tree: `<version folder>/<name of the mirrored root>`. */
export function treeFolder(versionDir: string, layout: TreeLayout): string {
  return path.join(versionDir, path.basename(layout.root) || 'root');
}
