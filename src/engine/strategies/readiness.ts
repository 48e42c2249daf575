import type { ProgramExit } from '../kernel/exits';
import type { Program } from '../processes/program';

export type Readiness = { kind: 'ready'; ms: number } | { kind: 'exited'; exit: ProgramExit } | { kind: 'timeout' };

/**
 * Waits until `ready` settles, the program exits, or `timeoutMs` passes, whichever comes first.
 * `stop` is called once it is decided, so a poller behind `ready` can end.
 */
export async function waitUntilReady(program: Program, ready: Promise<unknown>, timeoutMs: number, stop?: () => void): Promise<Readiness> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race<Readiness>([
      ready.then(() => ({ kind: 'ready', ms: Date.now() - started })),
      program.exited.then((exit) => ({ kind: 'exited', exit })),
      new Promise<Readiness>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
    stop?.();
  }
}
