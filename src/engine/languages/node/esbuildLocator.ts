import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstLines } from '../../kernel/text';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';

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
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hotreload', 'esbuild', ESBUILD_VERSION);
  const installed = path.join(dir, 'node_modules', 'esbuild');
  if (versionAt(installed) === ESBUILD_VERSION) return { kind: 'cache', path: installed, version: ESBUILD_VERSION };
  const problem = await installInto(dir, host, signal);
  if (problem) return { kind: 'missing', message: problem };
  return { kind: 'cache', path: installed, version: ESBUILD_VERSION };
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

function versionAt(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * `npm install esbuild@<version>` into a fresh folder beside `dir`, renamed into place once
 * complete, so a session never sees half an install and two sessions installing at once are both
 * fine. No install scripts run: esbuild finds its platform package without them.
 */
async function installInto(dir: string, host: ProcessHost, signal?: AbortSignal): Promise<string | undefined> {
  const staging = `${dir}.installing-${process.pid}-${Date.now()}`;
  const how = `add esbuild to the project (\`npm install --save-dev esbuild\`), or make npm able to install esbuild@${ESBUILD_VERSION} into ${dir}`;
  try {
    fs.mkdirSync(staging, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(staging, 'package.json'), '{ "private": true }\n');
    const result = await runCommand(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', staging, `esbuild@${ESBUILD_VERSION}`],
      { cwd: staging, env: process.env, signal, host },
    );
    if (result.cancelled) return 'the esbuild install was cancelled';
    if (result.spawnError)
      return `esbuild is needed to build Node programs and the project has none; npm, which would install it, cannot run (${result.spawnError.message}): ${how}`;
    if (result.code !== 0)
      return `esbuild is needed to build Node programs and the project has none; \`npm install esbuild@${ESBUILD_VERSION}\` failed: ${firstLines(result.output) || `exit status ${result.code}`}. ${how}`;
    try {
      fs.rmSync(dir, { recursive: true, force: true }); // a broken earlier install
      fs.renameSync(staging, dir);
    } catch (err) {
      // Another session installed it meanwhile: theirs is as good.
      if (versionAt(path.join(dir, 'node_modules', 'esbuild')) !== ESBUILD_VERSION) throw err;
    }
    return undefined;
  } catch (err) {
    return `cannot install esbuild into ${dir}: ${(err as Error).message}; ${how}`;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
