import { decodeNotifyLine, formatCommand, type ControlCommand, type NotifyEvent } from './protocol';

/** A program's two channels as the supervisor carries them: lines it wrote, lines to send it. */
export interface ChannelEnds {
  onNotify(listener: (line: string) => void): void;
  control(line: string): boolean;
}

/**
 * The engine's ends of one program's notify and control channels. The control end stays open for
 * the program's whole life (the supervisor holds it): end of file on it is how the program learns
 * that the engine is gone (it then drains and exits by itself).
 */
export class ProgramChannels {
  private readonly listeners: ((event: NotifyEvent) => void)[] = [];
  private readonly seen = new Set<NotifyEvent['event']>();
  private readonly waiters = new Map<NotifyEvent['event'], (() => void)[]>();

  constructor(private readonly ends: ChannelEnds) {
    ends.onNotify((line) => {
      // What is not an event this engine knows (output, a newer library's event) is not acted on.
      const decoded = decodeNotifyLine(line.trim());
      if (decoded.ok) this.emit(decoded.message);
    });
  }

  /** Whether the program has sent this event at least once. */
  has(event: NotifyEvent['event']): boolean {
    return this.seen.has(event);
  }

  /** Resolves when the program sends `event` (at once if it already has). */
  when(event: NotifyEvent['event']): Promise<void> {
    if (this.seen.has(event)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(event) ?? [];
      list.push(resolve);
      this.waiters.set(event, list);
    });
  }

  onEvent(listener: (event: NotifyEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Writes a command; false when the channel is gone. */
  send(command: ControlCommand): boolean {
    return this.ends.control(formatCommand(command).trimEnd());
  }

  private emit(event: NotifyEvent): void {
    this.seen.add(event.event);
    const waiting = this.waiters.get(event.event);
    if (waiting) {
      this.waiters.delete(event.event);
      for (const resolve of waiting) resolve();
    }
    for (const listener of this.listeners) listener(event);
  }
}
