import type { ProgramProcess } from './program';

export interface GracefulStopResult {
  /** True when the group was still there after `graceMs` and had to be killed. */
  killed: boolean;
  elapsedMs: number;
}

/**
 * Stops a program's group for a drain: `signal` reaches each member exactly once (a second SIGTERM
 * tells many Go programs, go/hotreload among them, to stop *now*, cutting the requests the drain
 * is for), then the group has `graceMs` to be gone before SIGKILL. Resolves when no member is
 * left and the program's records are cleared.
 */
export async function gracefulStop(program: ProgramProcess, signal: NodeJS.Signals, graceMs: number): Promise<GracefulStopResult> {
  const { killed, elapsedMs } = await program.stop(signal, graceMs);
  return { killed, elapsedMs };
}
