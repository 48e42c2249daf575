import * as fs from 'node:fs';
import { readControlLines } from '../controlLines';

/** The JSON lines a program sends the engine on its notify descriptor. */
export type NotifyEvent =
  | { event: 'ready' }
  | { event: 'draining' }
  | { event: 'patched'; slot: string; id: unknown }
  | { event: 'patchFailed'; slot: string; id: unknown; error: string };

export interface Command {
  op: string;
  slot?: unknown;
  id?: unknown;
  path?: unknown;
}

/**
 * The program's ends of the notify and control descriptors. The control descriptor never keeps the
 * program alive (a program that is done exits), and its end of file means the engine is gone.
 */
export class Channels {
  constructor(
    private readonly notifyFd: number | undefined,
    controlFd: number | undefined,
    onCommand: (command: Command) => void,
    onEngineGone: (why: string) => void,
  ) {
    if (controlFd === undefined) return;
    readControlLines(controlFd, (line) => parseCommand(line, onCommand), onEngineGone).unref();
  }

  /** One event, as one write; without an engine, nothing. */
  send(event: NotifyEvent): void {
    if (this.notifyFd === undefined) return;
    try {
      fs.writeSync(this.notifyFd, `${JSON.stringify(event)}\n`);
    } catch {
      // The engine is gone; the control descriptor says so too.
    }
  }
}

function parseCommand(line: string, onCommand: (command: Command) => void): void {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    process.stderr.write(`hotreload: ignoring a malformed command from the engine: ${(err as Error).message}\n`);
    return;
  }
  if (typeof value === 'object' && value !== null && typeof (value as Command).op === 'string') onCommand(value as Command);
}
