import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ProcessHost } from '../../processes/processHost';
import type { DecoratorCompiler } from '../../../runtime/node/build/protocol';
import { cacheFolder, installedInCache, versionAt } from './cachedPackage';

/** The @swc/core installed for projects whose tsconfig asks for decorator metadata and that have no SWC. */
const SWC_VERSION = '1.16.22';

/**
 * The compiler that emits decorator metadata for a project whose tsconfig asks for it: the
 * project's own @swc/core, else SWC_VERSION installed once into the user's cache (~11 MB, its
 * native binary comes as an optional dependency, so no install script is needed), else the
 * project's own `typescript` (transpileModule) when npm cannot install SWC. SWC is tried first
 * because `npm run bench:nest` measured it far faster per file (see the README). With a `kind`
 * (HOTRELOAD_DECORATOR_COMPILER, for that benchmark) only that compiler is looked for. Resolving
 * only reads package.json files: nothing of the project runs in the engine.
 */
export async function locateDecoratorCompiler(
  packageRoot: string,
  host: ProcessHost,
  signal?: AbortSignal,
  only = process.env.HOTRELOAD_DECORATOR_COMPILER,
): Promise<{ compiler?: DecoratorCompiler; problem?: string }> {
  const swc = only === 'typescript' ? undefined : fromProject(packageRoot, '@swc/core', 'swc');
  if (swc) return { compiler: swc };
  const typescript = only === 'swc' ? undefined : fromProject(packageRoot, 'typescript', 'typescript');
  if (only !== 'typescript') {
    const dir = cacheFolder('swc', SWC_VERSION);
    const installed = await installedInCache(
      dir,
      {
        name: '@swc/core',
        version: SWC_VERSION,
        why: 'tsconfig asks for emitDecoratorMetadata, which esbuild does not emit, and the project has no @swc/core',
        how: `add @swc/core to the project (\`npm install --save-dev @swc/core\`), or make npm able to install @swc/core@${SWC_VERSION} into ${dir}`,
      },
      host,
      signal,
    );
    if ('path' in installed) return { compiler: { kind: 'swc', path: installed.path, version: SWC_VERSION } };
    if (!typescript) return { problem: installed.problem };
  }
  return typescript
    ? { compiler: typescript }
    : { problem: 'tsconfig asks for emitDecoratorMetadata and the project has no typescript package to emit it with' };
}

function fromProject(packageRoot: string, name: string, kind: DecoratorCompiler['kind']): DecoratorCompiler | undefined {
  try {
    const manifest = createRequire(path.join(packageRoot, 'package.json')).resolve(`${name}/package.json`);
    const dir = path.dirname(manifest);
    return { kind, path: dir, version: versionAt(dir) ?? 'unknown' };
  } catch {
    return undefined;
  }
}
