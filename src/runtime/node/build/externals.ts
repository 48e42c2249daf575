import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OnResolveArgs, OnResolveResult, Plugin, PluginBuild, ResolveResult } from 'esbuild';
import { isCode, specifierBetween, treePath } from './layout';
import type { TreeLayout } from './protocol';

const AGAIN = Symbol('resolving');

export interface TreeImportsOptions {
  layout: TreeLayout;
  format: 'cjs' | 'esm';
  /** Bare imports resolved to a file when the project does not have them (`@hotreload/node`). */
  fallbacks: Record<string, string>;
  /** The sources being built: each is its own output module. */
  entries: ReadonlySet<string>;
  /** Told of each code file of the project an import reaches that is not a source yet (a linked workspace package's). */
  reached(file: string): void;
  /**
   * Resolutions kept for the contexts' life (they are made again when the sources or a config file
   * change): asking esbuild again costs a round trip per import and rebuild, most of a small rebuild.
   */
  resolved: Map<string, ResolveResult>;
}

/**
 * Every source is built into a module of its own, so no import is bundled: each is resolved as
 * esbuild would bundle it (tsconfig `paths`, `.js` naming `.ts`, package `exports`, workspace
 * links) and rewritten to where its target is at run time. A package keeps its place in
 * node_modules (imported by absolute path, so the tree runs from anywhere); a file of the project
 * is imported from its place in the tree (relative, so the tree can be moved as a whole). JSON and
 * files outside the mirrored root are bundled into the importer, as they were before the tree.
 */
export function treeImports(options: TreeImportsOptions): Plugin {
  return {
    name: 'hotreload-external-packages',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => resolveImport(build, args, options));
    },
  };
}

async function resolveImport(build: PluginBuild, args: OnResolveArgs, options: TreeImportsOptions): Promise<OnResolveResult | undefined> {
  if (args.kind === 'entry-point' || args.pluginData === AGAIN) return undefined;
  if (isBuiltin(args.path)) return { path: args.path, external: true };
  const key = `${args.kind}\0${args.resolveDir}\0${args.path}`;
  let resolved = options.resolved.get(key);
  if (!resolved) {
    resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: AGAIN });
    if (resolved.errors.length === 0) options.resolved.set(key, resolved);
  }
  if (resolved.errors.length > 0) {
    const fallback = options.fallbacks[args.path];
    return fallback ? { path: fallback } : { errors: resolved.errors };
  }
  const same: OnResolveResult = {
    path: resolved.path,
    external: resolved.external,
    namespace: resolved.namespace,
    sideEffects: resolved.sideEffects,
    suffix: resolved.suffix,
  };
  if (resolved.external || resolved.namespace !== 'file') return same;
  const file = resolved.path;
  if (file.split(path.sep).includes('node_modules'))
    return { path: options.format === 'esm' ? pathToFileURL(file).href : file, external: true, sideEffects: resolved.sideEffects };
  const from = options.entries.has(args.importer) ? treePath(options.layout, args.importer) : undefined;
  const to = treePath(options.layout, file);
  // JSON is data: bundled, it loads the same in either module format.
  if (from === undefined || to === undefined || /\.json$/i.test(file)) return same;
  if (isCode(file) && !options.entries.has(file)) options.reached(file);
  return { path: specifierBetween(from, to) + (resolved.suffix ?? ''), external: true, sideEffects: resolved.sideEffects };
}
