import type { ProgramExit } from '../kernel/exits';
import type { Program } from '../processes/program';

export type Readiness = { kind: 'ready'; ms: number } | { kind: 'exited'; exit: ProgramExit } | { kind: 'timeout' };

/**
 * Waits until `ready` settles, the program exits, or `timeoutMs` passes, whichever comes first.
 * Time the program spends paused in a debugger (a breakpoint before it is ready) does not count:
 * a version the user is stepping through is not "never ready". `stop` is called once it is
 * decided, so a poller behind `ready` can end.
 */
export async function waitUntilReady(program: Program, ready: Promise<unknown>, timeoutMs: number, stop?: () => void): Promise<Readiness> {
  const started = Date.now();
  const pausedBefore = program.debugger?.pausedMs() ?? 0;
  const elapsed = () => Date.now() - started - ((program.debugger?.pausedMs() ?? 0) - pausedBefore);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race<Readiness>([
      ready.then(() => ({ kind: 'ready', ms: Date.now() - started })),
      program.exited.then((exit) => ({ kind: 'exited', exit })),
      new Promise<Readiness>((resolve) => {
        const arm = (ms: number) => {
          timer = setTimeout(() => {
            const left = timeoutMs - elapsed();
            if (left > 0) arm(left);
            else resolve({ kind: 'timeout' });
          }, ms);
        };
        arm(timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    stop?.();
  }
}
