import type { ProgramExit } from '../kernel/exits';
import type { Program, ProgramProcess } from '../processes/program';

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

/**
 * Waits (at most `capMs`) until the program's stdout and stderr have ended, so the output tail of a
 * program that just died includes its last words (a panic's stack is written just before exit, and
 * 'exit' may come before the pipes drain).
 */
export async function outputSettled(program: ProgramProcess, capMs = 500): Promise<void> {
  const streams = [program.child.stdout, program.child.stderr].filter((s) => s && !s.readableEnded && !s.destroyed);
  if (streams.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(streams.map((s) => new Promise<void>((resolve) => (s!.once('end', resolve), s!.once('close', resolve))))),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, capMs))),
  ]);
  clearTimeout(timer);
}
