import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupMembers, sessionStragglers } from './processTree';

/**
 * Every child the engine runs (builds, the user's program, hooks) gets its own
 * session and process group, so that stopping it reaches everything it spawned.
 */
export function spawnInGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/**
 * Sends a signal to the whole group led by `leader`, once per process (a second
 * SIGTERM means "stop now" to many programs, go/hotreload among them), and to
 * members of its session that moved to a group of their own. False when
 * nothing was there.
 */
function signalGroup(leader: number, signal: NodeJS.Signals): boolean {
  let reached = false;
  try {
    process.kill(-leader, signal);
    reached = true;
  } catch {
    /* no such group any more */
  }
  for (const pid of sessionStragglers(leader)) {
    try {
      process.kill(pid, signal);
      reached = true;
    } catch {
      /* already gone */
    }
  }
  return reached;
}

export interface StopResult {
  /** True when the grace period ran out and the group had to be killed. */
  killed: boolean;
  elapsedMs: number;
}

/**
 * Stops a process group: `signal` to the group, then SIGKILL after `graceMs` if
 * anything of it is left, and resolves only when no member remains (checked in
 * /proc), so the port and files it held are free.
 */
async function stopGroup(leader: number, signal: NodeJS.Signals, graceMs: number, leaderExited?: Promise<unknown>): Promise<StopResult> {
  const started = Date.now();
  if (groupMembers(leader).length === 0) return { killed: false, elapsedMs: 0 };
  signalGroup(leader, signal);
  const deadline = started + graceMs;
  // Usually the group goes with its leader: wait for that exit rather than scanning /proc meanwhile.
  if (leaderExited && graceMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([leaderExited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
  let wait = 2;
  while (Date.now() < deadline) {
    if (groupMembers(leader).length === 0) return { killed: false, elapsedMs: Date.now() - started };
    await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
    wait = Math.min(wait * 2, 50);
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    if (groupMembers(leader).length === 0) break;
    signalGroup(leader, 'SIGKILL');
    await sleep(10);
  }
  return { killed: true, elapsedMs: Date.now() - started };
}

/** Kills a group at once and waits for it to be gone. */
export function killGroup(leader: number): Promise<StopResult> {
  return stopGroup(leader, 'SIGKILL', 0);
}
