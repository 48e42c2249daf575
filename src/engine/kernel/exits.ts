import * as os from 'node:os';

/** How a process ended: an exit status, or the signal that killed it. */
export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** "exited with status 2", "was killed by SIGKILL". */
export function describeExit(exit: ProgramExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
}

/** "SIGINT", "sigint", "INT", "int" → "SIGINT"; undefined when there is no such signal. */
export function normalizeSignal(name: unknown): NodeJS.Signals | undefined {
  if (typeof name !== 'string') return undefined;
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.prototype.hasOwnProperty.call(os.constants.signals, full) ? (full as NodeJS.Signals) : undefined;
}
