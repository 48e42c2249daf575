import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ProcessHost } from '../../processes/processHost';
import { cacheFolder, installedInCache, versionAt } from './cachedPackage';

/** The esbuild installed for projects that have none: the one the extension is built and tested with. */
export const ESBUILD_VERSION = '0.28.2';

export type EsbuildSource = { kind: 'project' | 'cache'; path: string; version: string } | { kind: 'missing'; message: string };

/**
 * The esbuild a Node program is built with: the project's own when it has one (0.17 or later, for
 * the context API), else ESBUILD_VERSION installed once with npm into the user's cache
 * (~/.cache/hotreload/esbuild/<version>), which later sessions share. Its native binary is ~9 MB
 * per platform, too big to ship in the extension. Resolving only reads package.json files: nothing
 * of the project runs in the engine.
 */
export async function locateEsbuild(packageRoot: string, host: ProcessHost, signal?: AbortSignal): Promise<EsbuildSource> {
  const own = projectEsbuild(packageRoot);
  if (own) return { kind: 'project', ...own };
  const dir = cacheFolder('esbuild', ESBUILD_VERSION);
  const installed = await installedInCache(
    dir,
    {
      name: 'esbuild',
      version: ESBUILD_VERSION,
      why: 'esbuild is needed to build Node programs and the project has none',
      how: `add esbuild to the project (\`npm install --save-dev esbuild\`), or make npm able to install esbuild@${ESBUILD_VERSION} into ${dir}`,
    },
    host,
    signal,
  );
  if ('problem' in installed) return { kind: 'missing', message: installed.problem };
  return { kind: 'cache', path: installed.path, version: ESBUILD_VERSION };
}

function projectEsbuild(packageRoot: string): { path: string; version: string } | undefined {
  try {
    const manifest = createRequire(path.join(packageRoot, 'package.json')).resolve('esbuild/package.json');
    const dir = path.dirname(manifest);
    const version = versionAt(dir);
    const [major, minor] = (version ?? '0.0').split('.').map(Number);
    if (major > 0 || minor >= 17) return { path: dir, version: version! };
  } catch {
    // none in the project
  }
  return undefined;
}
