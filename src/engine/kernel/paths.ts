import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Whether `child` is strictly inside `parent` (not `parent` itself). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** Whether `file` is `dir` or inside it: a path-segment match, never a string prefix ("/a/app2" is not in "/a/app"). */
export function isAtOrInside(dir: string, file: string): boolean {
  return path.resolve(dir) === path.resolve(file) || isInside(dir, file);
}

/** "~" and "~/x" → the home directory; anything else unchanged. */
export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Forward slashes on every platform. */
export function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

/** `file` relative to `root` when inside it (forward slashes), else `file` as given. */
export function relativeName(root: string, file: string): string {
  const rel = path.relative(path.resolve(root), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? toSlash(rel) : file;
}

/** A Windows path (`C:\x`, `C:/x`, `\\server\share`), whatever platform this is. */
export function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/**
 * Resolves a path a tool printed (relative to `base`, or absolute) with Windows semantics when
 * either is a Windows path, so that tool output from any platform compares equal to our paths.
 */
export function resolveToolPath(base: string, file: string): string {
  if (isWindowsPath(file)) return path.win32.normalize(file);
  return (isWindowsPath(base) ? path.win32 : path.posix).resolve(base, file);
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Why `dir` cannot serve as a directory ("does not exist", "is not a directory"), or undefined. */
export function directoryProblem(dir: string): string | undefined {
  try {
    return fs.statSync(dir).isDirectory() ? undefined : 'is not a directory';
  } catch {
    return 'does not exist';
  }
}
