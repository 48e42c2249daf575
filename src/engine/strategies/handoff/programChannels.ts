import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';

/** The descriptors of the engine–program protocol (go/hotreload reads these numbers from the environment). */
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

/** Longest line kept; a program writing more without a newline is not speaking the protocol. */
const MAX_LINE = 64 * 1024;

/**
 * Splits a byte stream into lines. Pure: feed it chunks, it returns the complete lines. An
 * overlong line is dropped up to its newline.
 */
export class LineSplitter {
  private buffer = '';
  private skipping = false;
  private readonly decoder = new StringDecoder('utf8');

  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      if (!this.skipping) lines.push(this.buffer + piece);
      this.buffer = '';
      this.skipping = false;
      start = nl + 1;
    }
    if (!this.skipping) {
      this.buffer += text.slice(start);
      if (this.buffer.length > MAX_LINE) {
        this.buffer = '';
        this.skipping = true;
      }
    }
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
}

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

/**
 * The engine's ends of one program's notify and control channels (stdio pipes at fds 4 and 5).
 *
 * The control end stays open for the program's whole life: end of file on it is how the program
 * learns that the engine is gone (it then drains and exits by itself). It closes by itself when the
 * program and everything that inherited the descriptor are gone, or with the engine.
 */
export class ProgramChannels {
  private readonly listeners: ((event: NotifyEvent) => void)[] = [];
  private readonly seen = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly control: Writable | undefined;

  constructor(child: ChildProcess, notifyIndex = NOTIFY_FD, controlIndex = CONTROL_FD) {
    const notify = child.stdio[notifyIndex] as Readable | null | undefined;
    this.control = (child.stdio[controlIndex] as Writable | null | undefined) ?? undefined;
    // A program that exits or closes its end must never crash the engine with EPIPE or ECONNRESET.
    this.control?.on('error', () => undefined);
    if (notify) {
      notify.on('error', () => undefined);
      const splitter = new LineSplitter();
      notify.on('data', (chunk: Buffer) => {
        for (const line of splitter.push(chunk)) {
          const event = parseNotifyLine(line);
          if (event) this.emit(event);
        }
      });
    }
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
    const control = this.control;
    if (!control || control.destroyed || !control.writable) return false;
    control.write(formatCommand(command));
    return true;
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
