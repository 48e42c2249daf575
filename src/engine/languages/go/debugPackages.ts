import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from '../../settings/types';
import { workFile, workModules } from './goWork';

/** Every package without optimisation: what debugAllPackages asks for, and the fallback. */
const ALL_PACKAGES_GCFLAGS = '-gcflags=all=-N -l';

/**
 * The -gcflags of a debug build. The debugger needs no optimisation or inlining in the code the
 * user steps through: their own module's packages (and those of the modules its go.work uses). The
 * standard library and the dependencies stay optimised, so they come from the build cache as in a
 * normal build, where `all=-N -l` recompiles all of them once and links a larger binary each time.
 */
export function debugGcflags(settings: Pick<Settings, 'moduleRoot'> & Partial<Pick<Settings, 'debugAllPackages'>>, env: NodeJS.ProcessEnv = process.env): string[] {
  if (settings.debugAllPackages) return [ALL_PACKAGES_GCFLAGS];
  const modules = ownModules(settings.moduleRoot, env);
  return modules.length > 0 ? modules.map((module) => `-gcflags=${module}/...=-N -l`) : [ALL_PACKAGES_GCFLAGS];
}

/** The module paths the user works on: the module at moduleRoot, and those of its go.work. */
function ownModules(moduleRoot: string, env: NodeJS.ProcessEnv): string[] {
  const modules = new Set<string>();
  const own = modulePath(moduleRoot);
  if (own) modules.add(own);
  const work = workFile(moduleRoot, env);
  if (work) for (const dir of workModules(work)) modules.add(modulePath(dir) ?? '');
  modules.delete('');
  return [...modules].sort();
}

/** The `module` line of dir/go.mod. */
function modulePath(dir: string): string | undefined {
  try {
    const match = /^\s*module\s+("?)([^\s"]+)\1\s*(?:\/\/.*)?$/m.exec(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'));
    return match?.[2];
  } catch {
    return undefined;
  }
}
