import * as fs from 'node:fs';
import { readControlLines } from '../controlLines';
import { formatNotifyEvent, parseControlLine, type NotifyEvent, type PatchCommand } from './protocol';

/**
 * The program's ends of the notify and control descriptors. The control descriptor never keeps the
 * program alive (a program that is done exits), and its end of file means the engine is gone.
 */
export class Channels {
  constructor(
    private readonly notifyFd: number | undefined,
    controlFd: number | undefined,
    onPatch: (command: PatchCommand) => void,
    onEngineGone: (why: string) => void,
  ) {
    if (controlFd === undefined) return;
    readControlLines(
      controlFd,
      (line) => {
        const parsed = parseControlLine(line);
        if (parsed.kind === 'patch') onPatch(parsed.command);
        else if (parsed.kind === 'unknown') process.stderr.write(`hotreload: ignoring unknown command ${JSON.stringify(parsed.op)} from the engine\n`);
        else process.stderr.write(`hotreload: ignoring a malformed command from the engine: ${parsed.error}\n`);
      },
      onEngineGone,
    ).unref();
  }

  /** One event, as one write; without an engine, nothing. */
  send(event: NotifyEvent): void {
    if (this.notifyFd === undefined) return;
    try {
      fs.writeSync(this.notifyFd, formatNotifyEvent(event));
    } catch {
      // The engine is gone; the control descriptor says so too.
    }
  }
}
