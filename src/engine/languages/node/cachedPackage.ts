import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstLines } from '../../kernel/text';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';

/** A package the engine installs for projects that lack it (esbuild, @swc/core), pinned to one version. */
export interface CachedPackage {
  name: string;
  version: string;
  /** Why it is needed and how the user can provide it instead, for the message when npm cannot install it. */
  why: string;
  how: string;
}

/** `~/.cache/hotreload/<folder>/<version>`: shared by every session of the user. */
export function cacheFolder(folder: string, version: string): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hotreload', folder, version);
}

/** The version in `<dir>/package.json`, if it can be read. */
export function versionAt(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * The package installed in the user's cache (`<dir>/node_modules/<name>`), installed now with
 * `npm install <name>@<version>` into a fresh folder beside `dir` and renamed into place once
 * complete, so a session never sees half an install and two sessions installing at once are both
 * fine. No install scripts run: esbuild and SWC find their platform packages (optional
 * dependencies) without them. Returns the package's folder, or a sentence saying why not.
 */
export async function installedInCache(
  dir: string,
  pkg: CachedPackage,
  host: ProcessHost,
  signal?: AbortSignal,
): Promise<{ path: string } | { problem: string }> {
  const installed = path.join(dir, 'node_modules', ...pkg.name.split('/'));
  if (versionAt(installed) === pkg.version) return { path: installed };
  const staging = `${dir}.installing-${process.pid}-${Date.now()}`;
  const spec = `${pkg.name}@${pkg.version}`;
  try {
    fs.mkdirSync(staging, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(staging, 'package.json'), '{ "private": true }\n');
    const result = await runCommand(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', staging, spec],
      { cwd: staging, env: process.env, signal, host },
    );
    if (result.cancelled) return { problem: `the ${pkg.name} install was cancelled` };
    if (result.spawnError) return { problem: `${pkg.why}; npm, which would install it, cannot run (${result.spawnError.message}): ${pkg.how}` };
    if (result.code !== 0)
      return { problem: `${pkg.why}; \`npm install ${spec}\` failed: ${firstLines(result.output) || `exit status ${result.code}`}. ${pkg.how}` };
    try {
      fs.rmSync(dir, { recursive: true, force: true }); // a broken earlier install
      fs.renameSync(staging, dir);
    } catch (err) {
      // Another session installed it meanwhile: theirs is as good.
      if (versionAt(installed) !== pkg.version) throw err;
    }
    return { path: installed };
  } catch (err) {
    return { problem: `cannot install ${spec} into ${dir}: ${(err as Error).message}; ${pkg.how}` };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
