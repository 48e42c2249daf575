import { decodeMessage, type Decoded, type MessageOf, type MessageShapes } from '../../kernel/wireMessages';

/**
 * The handoff protocol between the engine and a program it runs with the handoff or patch
 * strategy: the program writes one JSON event per line on its notify descriptor and reads one JSON
 * command per line on its control descriptor. go/hotreload (doc.go) and the Node hook
 * (src/runtime/node/hook/protocol.ts) are the program's side; all three are held to the golden
 * lines in test/fixtures/protocol/handoff, which go/hotreload's tests write.
 */

/** The descriptors: the listening socket at 3 (LISTEN_FDS), then the notify and control pipes the supervisor makes. */
export const NOTIFY_FD = 4;
export const CONTROL_FD = 5;

/** What a program says on HOTRELOAD_NOTIFY_FD. */
export const NOTIFY_EVENTS = {
  /** It serves (the handoff's cue to stop the old version). */
  ready: {},
  /** It stopped accepting and finishes what it has. */
  draining: {},
  /** The patch command of that slot and id is loaded. */
  patched: { slot: 'string', id: 'number' },
  /** It is not, and why (Go's error, verbatim). */
  patchFailed: { slot: 'string', id: 'number', error: 'string?' },
} as const satisfies MessageShapes;

/** What the engine writes on HOTRELOAD_CONTROL_FD. */
export const CONTROL_COMMANDS = {
  /** Load the plugin (Go) or bundle (Node) at path as the slot's new version; answered by patched or patchFailed. */
  patch: { slot: 'string', id: 'number', path: 'string' },
} as const satisfies MessageShapes;

export type NotifyEvent = MessageOf<'event', typeof NOTIFY_EVENTS>;
export type ControlCommand = MessageOf<'op', typeof CONTROL_COMMANDS>;

/**
 * A notify line as an event, or why it is not one this engine knows: not JSON, not an event, or a
 * newer library's event (not acted on).
 */
export function decodeNotifyLine(line: string): Decoded<NotifyEvent> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  return decodeMessage('event', NOTIFY_EVENTS, value);
}

/** A command as the line to write. */
export function formatCommand(command: ControlCommand): string {
  return `${JSON.stringify(command)}\n`;
}
