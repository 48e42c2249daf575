import * as fs from 'node:fs';
import { groupMembers, hasProc } from './processTree';

/** Bounds the work of one look: a program with more descriptors than this is read in part. */
const MAX_FDS_PER_PROCESS = 4096;

/** open(2)'s access mode bits, as /proc/<pid>/fdinfo prints them (octal). */
const ACCESS_MODE = 0o3;
const READ_ONLY = 0o0;

/**
 * The regular files the processes of a program's group hold open for writing now (absolute paths),
 * from /proc: each descriptor's target (`fd/N`) and its open flags (`fdinfo/N`). This is how a change
 * the program makes to its own folder (a database and its `-wal`, a log) is told apart from an edit.
 * Empty where /proc cannot tell (not Linux, another user's process).
 */
export function filesOpenForWriting(leaders: readonly number[]): Set<string> {
  const files = new Set<string>();
  if (!hasProc()) return files;
  const pids = new Set<number>();
  for (const leader of leaders) for (const pid of [leader, ...groupMembers(leader)]) pids.add(pid);
  for (const pid of pids) for (const file of writtenBy(pid)) files.add(file);
  return files;
}

function writtenBy(pid: number): string[] {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`).slice(0, MAX_FDS_PER_PROCESS);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const fd of fds) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (!target.startsWith('/') || !isOpenForWriting(pid, fd)) continue;
      files.push(target.endsWith(' (deleted)') ? target.slice(0, -' (deleted)'.length) : target);
    } catch {
      // closed meanwhile, or not ours to read
    }
  }
  return files;
}

function isOpenForWriting(pid: number, fd: string): boolean {
  const info = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
  const flags = /^flags:\s+([0-7]+)/m.exec(info);
  return flags !== null && (parseInt(flags[1], 8) & ACCESS_MODE) !== READ_ONLY;
}
