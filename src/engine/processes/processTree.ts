import * as fs from 'node:fs';

/**
 * What /proc says about processes. The engine checks groups through the kernel,
 * not through its own bookkeeping, so a grandchild that outlived its parent is
 * still found.
 */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  /** Start time in clock ticks since boot: with the pid, identifies a process across pid reuse. */
  startTime: number;
  state: string;
}

export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces or parentheses.
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state).
  return {
    pid,
    state: rest[0],
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    session: Number(rest[3]),
    startTime: Number(rest[19]),
  };
}

export function hasProc(): boolean {
  return fs.existsSync('/proc/self/stat');
}

/**
 * Live processes whose process group or session is `leader`: everything a
 * program started with `detached: true` (setsid) may have spawned, zombies excluded.
 */
export function groupMembers(leader: number): number[] {
  if (!hasProc()) return isAlive(leader) ? [leader] : [];
  return liveProcesses()
    .filter((p) => p.pgrp === leader || p.session === leader)
    .map((p) => p.pid);
}

/** Live processes of `leader`'s session that moved to a process group of their own. */
export function sessionStragglers(leader: number): number[] {
  if (!hasProc()) return [];
  return liveProcesses()
    .filter((p) => p.session === leader && p.pgrp !== leader)
    .map((p) => p.pid);
}

/** Every process /proc shows, zombies excluded. */
function liveProcesses(): ProcStat[] {
  const live: ProcStat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z') live.push(stat);
  }
  return live;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = hasProc() ? readProcStat(pid) : undefined;
    return !stat || stat.state !== 'Z';
  } catch {
    return false;
  }
}

/** Resident memory of one process in bytes, from /proc (undefined when unknown). */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
