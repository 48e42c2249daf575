import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readProcStat } from './processTree';

/** What the engine records about a supervisor it started, in the user's own run directory. */
export interface SupervisorRecord {
  pid: number;
  /** /proc start time: with the pid, identifies the process across pid reuse. */
  startTime: number;
  /** A random token the supervisor carries in its environment: proof that a process is ours. */
  token: string;
  enginePid: number;
  engineStartTime: number;
}

/**
 * The per-user directory for run-time records: $XDG_RUNTIME_DIR/hotreload, else
 * ~/.cache/hotreload/run. Created 0700; refused when it is a symlink or belongs to someone else.
 */
export function runDirectory(): string {
  return privateDirectory(
    process.env.XDG_RUNTIME_DIR
      ? path.join(process.env.XDG_RUNTIME_DIR, 'hotreload')
      : path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hotreload', 'run'),
  );
}

/** Makes `dir` (0700) if needed and returns it; refused when it is a symlink or belongs to someone else. */
export function privateDirectory(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) throw new Error(`${dir} is not a directory of your own: remove it`);
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  return dir;
}

export function newToken(): string {
  return crypto.randomBytes(16).toString('hex');
}

function recordFile(dir: string, pid: number): string {
  return path.join(dir, `supervisor-${pid}.json`);
}

export function writeRecord(record: SupervisorRecord): void {
  try {
    const dir = runDirectory();
    const file = recordFile(dir, record.pid);
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(record));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Records only serve to clean up after an engine killed outright; a run without one still works.
  }
}

export function removeRecord(pid: number): void {
  try {
    fs.rmSync(recordFile(runDirectory(), pid), { force: true });
  } catch {
    /* nothing to remove */
  }
}

/** Whether a live process is the one a record names: same start time, and our token in its environment. */
function provablyOurs(pid: number, startTime: number, token: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return false;
  const stat = readProcStat(pid);
  if (!stat || stat.startTime !== startTime || stat.state === 'Z') return false;
  try {
    // Only the same user can read another process's environment.
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    return environ.includes(`HOTRELOAD_SUPERVISOR_TOKEN=${token}`);
  } catch {
    return false;
  }
}

function alive(pid: number, startTime: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.startTime === startTime && stat.state !== 'Z';
}

/**
 * Supervisors left by engines that were killed outright (normally a supervisor dies with its
 * engine): each one that is provably ours (start time and token) gets SIGTERM, which makes it
 * stop its programs; nothing else is ever signalled. Returns the pids stopped.
 */
export async function stopOrphanSupervisors(): Promise<number[]> {
  let dir: string;
  let names: string[];
  try {
    dir = runDirectory();
    names = fs.readdirSync(dir).filter((n) => /^supervisor-\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const stopped: number[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let record: SupervisorRecord;
    try {
      record = JSON.parse(fs.readFileSync(file, 'utf8')) as SupervisorRecord;
    } catch {
      fs.rmSync(file, { force: true });
      continue;
    }
    // A live engine's, this one's included: two folders of one window are two sessions of one engine.
    if (alive(record.enginePid, record.engineStartTime)) continue;
    if (provablyOurs(record.pid, record.startTime, record.token)) {
      try {
        process.kill(record.pid, 'SIGTERM');
        stopped.push(record.pid);
        for (let i = 0; i < 60 && alive(record.pid, record.startTime); i++) await new Promise((r) => setTimeout(r, 50));
        if (alive(record.pid, record.startTime)) process.kill(record.pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
    fs.rmSync(file, { force: true });
  }
  return stopped;
}
