import * as path from 'node:path';
import { isFile } from '../../kernel/paths';

/** What the extension ships to run inside the user's `node`, in dist/node/ (built by scripts/build.mjs). */
export type RuntimeFile = 'hook.js' | 'buildWorker.js' | 'hotreload.ts';

/**
 * A shipped runtime file: beside the engine's bundle (dist/node/, as the .vsix has it) or, for the
 * engine compiled into out/ by the tests, in the checkout's dist/node/. Throws a sentence when
 * neither has it (a checkout that was not built).
 */
export function runtimeFile(name: RuntimeFile): string {
  for (let dir = __dirname, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'node', name), path.join(dir, 'dist', 'node', name)]) if (isFile(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`Hot Reload's Node runtime (node/${name}) is missing beside ${__dirname}: run \`npm run build\` in a checkout, or reinstall the extension`);
}
