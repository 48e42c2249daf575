import type { ProgramProcess } from './program';
import { groupMembers, readProcStat } from './processTree';

export interface GracefulStopResult {
  /** True when the group was still there after `graceMs` and had to be killed. */
  killed: boolean;
  elapsedMs: number;
}

/**
 * Stops a program's group for a drain: `signal` reaches each member exactly once, then the group
 * is given `graceMs` to be gone before SIGKILL; resolves when no member is left and the program's
 * records are cleared.
 *
 * Exactly once matters: a second SIGTERM tells many Go programs to stop *now* (go/hotreload, and any
 * program using signal.NotifyContext then stop(), restores the default action after the first), which
 * would cut the in-flight requests the drain is for. So the group gets the signal once, and only
 * members outside the group (same session, another group) get it one by one.
 */
export async function gracefulStop(program: ProgramProcess, signal: NodeJS.Signals, graceMs: number): Promise<GracefulStopResult> {
  const started = Date.now();
  const leader = program.pid;
  if (program.running || groupMembers(leader).length > 0) {
    try {
      process.kill(-leader, signal);
    } catch {
      /* the group is gone; stragglers in other groups are reached below */
    }
    for (const pid of groupMembers(leader)) {
      if (readProcStat(pid)?.pgrp === leader) continue; // reached through the group
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
  }
  const deadline = started + graceMs;
  let wait = 2;
  while (Date.now() < deadline && (program.running || groupMembers(leader).length > 0)) {
    await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(1, deadline - Date.now()))));
    wait = Math.min(wait * 2, 50);
  }
  // Gone: this only waits for the exit and clears the records. Still there: SIGKILL to all of it.
  const stop = await program.stop('SIGKILL', 0);
  return { killed: stop.killed, elapsedMs: Date.now() - started };
}
