import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The default work dir of a project: a folder of its own in the user's cache directory
 * ($XDG_CACHE_HOME or ~/.cache), named after the project and a hash of its real path. Outside the
 * project, so a repository cannot plant anything in it and the Explorer stays clean.
 */
export function defaultWorkDir(root: string): string {
  let real = root;
  try {
    real = fs.realpathSync(root);
  } catch {
    // A root that does not exist is reported by the validation; any name will do meanwhile.
  }
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const name =
    path
      .basename(real)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) || 'root';
  const hash = crypto.createHash('sha256').update(real).digest('hex').slice(0, 12);
  return path.join(cache, 'hotreload', 'projects', `${name}-${hash}`);
}
