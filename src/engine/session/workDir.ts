import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../kernel/paths';

/** The folders of a work dir, each recreated empty at every start. */
export const WORK_SUBDIRS = ['builds', 'snapshots', 'patches', 'speculative'] as const;

/**
 * Makes the work dir safe to write into: the folder itself must be a real directory of the user's
 * (never a symlink, created 0700), and its folders are removed and created afresh, so nothing
 * planted in them (a symlink in a repository's `.hotreload/`, files of another user) is ever
 * followed or trusted. Throws one clear sentence when it cannot be used.
 */
export function prepareWorkDir(workDir: string, root: string): void {
  const problem = (what: string) =>
    new Error(
      `cannot use the work dir ${workDir}: ${what}; set hotReload.workDir (--work-dir) to another folder, or leave it empty for one in your cache directory`,
    );
  try {
    fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw problem(describe(err));
  }
  const stat = fs.lstatSync(workDir);
  if (stat.isSymbolicLink()) throw problem('it is a symbolic link');
  if (!stat.isDirectory()) throw problem('it is not a directory');
  if (process.getuid && stat.uid !== process.getuid()) throw problem('it belongs to another user');
  try {
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(workDir, 0o700);
    for (const name of WORK_SUBDIRS) {
      const dir = path.join(workDir, name);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { mode: 0o700 });
    }
    if (isInside(root, workDir)) ignoreInGit(workDir);
  } catch (err) {
    throw problem(describe(err));
  }
}

/** A work dir kept in the project ignores itself in git (written only when absent, never through a link). */
function ignoreInGit(workDir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(path.join(workDir, '.gitignore'), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  } catch {
    return; // there already (or a planted link, which stays untouched)
  }
  try {
    fs.writeSync(fd, '# Hot Reload work dir: build artifacts and source snapshots.\n*\n');
  } finally {
    fs.closeSync(fd);
  }
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return 'it is on a read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOTDIR') return 'a part of its path is a file';
  return (err as Error).message;
}
