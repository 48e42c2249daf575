/**
 * Processes as the kernel sees them, found by what they carry in their environment (every
 * descendant of a program inherits it, setsid'd daemons included).
 */
import * as fs from 'node:fs';

/** Live processes (zombies excluded) whose environment has every one of these NAME=value entries. */
export function processesWithEnv(...entries: string[]): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string[];
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    } catch {
      continue;
    }
    if (entries.every((e) => environ.includes(e))) found.push(pid);
  }
  return found;
}

/** Resident memory of a process in bytes, from /proc. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** SIGKILLs every process carrying these entries: cleanup for tests that fail half-way. */
export function killProcessesWithEnv(...entries: string[]): void {
  for (const pid of processesWithEnv(...entries)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
