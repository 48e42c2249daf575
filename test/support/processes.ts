/**
 * Finding and ending the processes a test started, through Linux's /proc: by a marker in their
 * environment or a path in their command line. Zombies count as gone; the test process never
 * matches itself.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

function livePids(matches: (pid: number) => boolean): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!/^\d+$/.test(name) || pid === process.pid) continue;
    try {
      if (matches(pid) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Live processes whose environment holds `NAME=value`. */
export function pidsWithEnv(name: string, value: string): number[] {
  const needle = Buffer.from(`${name}=${value}\0`);
  return livePids((pid) => fs.readFileSync(`/proc/${pid}/environ`).includes(needle));
}

/** Live processes whose command line (arguments joined by spaces) contains `needle`. */
export function pidsWithCmdline(needle: string): number[] {
  return livePids((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle));
}

/** Signals a process group; a group already gone is no error. */
export function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Last-resort cleanup for tests that kill an engine on purpose: SIGKILLs every process whose
 * command line mentions `dir` (the programs built under it), with its group, so a failing test
 * leaves nothing running on the machine.
 */
export function killProcessesUnder(dir: string): void {
  for (const pid of pidsWithCmdline(dir)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

/** Live processes whose environment has every one of these `NAME=value` entries (descendants inherit them, setsid'd daemons included). */
export function processesWithEnv(...entries: string[]): number[] {
  const needles = entries.map((e) => Buffer.from(`${e}\0`));
  return livePids((pid) => {
    const environ = fs.readFileSync(`/proc/${pid}/environ`);
    return needles.every((n) => environ.includes(n));
  });
}

/** SIGKILLs every process carrying these entries: cleanup for tests that fail half-way. */
export function killProcessesWithEnv(...entries: string[]): void {
  for (const pid of processesWithEnv(...entries)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Resident memory of a process in bytes, from /proc. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** What a command that ran to its end printed, and how it ended. */
export interface FinishedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting its output (stdin closed). */
export function runToEnd(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<FinishedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
