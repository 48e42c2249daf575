/**
 * The descriptors of the engine–program protocol (go/hotreload reads these numbers from the
 * environment): the listening socket at 3, then the notify and control pipes the supervisor makes.
 */
export const LISTEN_FD = 3;
export const NOTIFY_FD = 4;
export const CONTROL_FD = 5;

/** One line the program writes on HOTRELOAD_NOTIFY_FD. */
export type NotifyEvent =
  | { event: 'ready' }
  | { event: 'draining' }
  | { event: 'patched'; slot?: string; id?: unknown }
  | { event: 'patchFailed'; slot?: string; id?: unknown; error?: string }
  /** An event this engine does not know (a newer library): kept, not acted on. */
  | { event: string; [key: string]: unknown };

/** One line the engine writes on HOTRELOAD_CONTROL_FD. */
export type ControlCommand = { op: 'patch'; slot: string; id: unknown; path: string } | { op: string; [key: string]: unknown };

/** A notify line as an event, or undefined for a line that is not a JSON object with an "event" string. */
export function parseNotifyLine(line: string): NotifyEvent | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed[0] !== '{') return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const event = (value as { event?: unknown }).event;
    return typeof event === 'string' ? (value as NotifyEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** A command as the line to write. */
export function formatCommand(command: ControlCommand): string {
  return `${JSON.stringify(command)}\n`;
}

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
  private readonly seen = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly ends: ChannelEnds) {
    ends.onNotify((line) => {
      const event = parseNotifyLine(line);
      if (event) this.emit(event);
    });
  }

  /** Whether the program has sent this event at least once. */
  has(event: string): boolean {
    return this.seen.has(event);
  }

  /** Resolves when the program sends `event` (at once if it already has). */
  when(event: string): Promise<void> {
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
