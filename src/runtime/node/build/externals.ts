import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

const AGAIN = Symbol('resolving');

/**
 * Packages stay out of the bundle, imported at run time from where the project has them: each
 * bare import is resolved by esbuild as it would bundle it (the package's `exports` for Node), and
 * the bundle imports that file by its absolute path, so it runs from the work dir as it would from
 * the project. Imports that resolve inside the project (tsconfig paths, linked workspace packages)
 * are bundled, so their changes reload too. A bare import the project cannot resolve falls back
 * to `fallbacks` (`@hotreload/node`, shipped with the extension).
 */
export function externalPackages(format: 'cjs' | 'esm', fallbacks: Record<string, string>): Plugin {
  return {
    name: 'hotreload-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./#]|^\.[^./]/ }, async (args) => {
        if (args.pluginData === AGAIN || path.isAbsolute(args.path)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: AGAIN });
        if (resolved.errors.length > 0) {
          const fallback = fallbacks[args.path];
          return fallback ? { path: fallback } : { errors: resolved.errors };
        }
        if (resolved.external || !resolved.path.split(path.sep).includes('node_modules'))
          return {
            path: resolved.path,
            external: resolved.external,
            namespace: resolved.namespace,
            sideEffects: resolved.sideEffects,
            suffix: resolved.suffix,
          };
        return { path: format === 'esm' ? pathToFileURL(resolved.path).href : resolved.path, external: true };
      });
    },
  };
}
