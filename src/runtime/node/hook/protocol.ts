/**
 * The handoff protocol as a Node program speaks it (go/hotreload documents it in its doc.go; the
 * engine's side is src/engine/strategies/handoff/protocol.ts, and all are held to the golden lines
 * in test/fixtures/protocol/handoff). What the engine hands the program is read from the
 * environment: the listening socket at fd 3 (systemd socket activation), the notify and control
 * descriptors, the drain deadline, the public port and patches to load at start. The descriptor
 * variables are removed once read, so that programs this one starts do not take them. Then the
 * program writes events on the notify descriptor and reads commands on the control descriptor,
 * one JSON object per line.
 */
export interface Protocol {
  /** The listening socket's descriptor, when LISTEN_PID names this process. */
  listenFd: number | undefined;
  notifyFd: number | undefined;
  controlFd: number | undefined;
  /** The port the engine's socket listens on: the program's first listen on it takes the socket. */
  publicPort: number | undefined;
  drainMs: number;
  /** The version this process starts as (HOTRELOAD_VERSION). */
  version: number;
  /** Slot → bundle to load before reporting ready (a patched version started again). */
  startupPatches: Record<string, string>;
}

const HANDED_OVER = ['LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES', 'HOTRELOAD_NOTIFY_FD', 'HOTRELOAD_CONTROL_FD', 'HOTRELOAD_PLUGINS', 'HOTRELOAD_PUBLIC_PORT'];

export function readProtocol(env: NodeJS.ProcessEnv, pid: number): Protocol | undefined {
  const fd = (name: string): number | undefined => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  };
  const ours = Number(env.LISTEN_PID) === pid && Number(env.LISTEN_FDS) >= 1;
  const protocol: Protocol = {
    listenFd: ours ? 3 : undefined,
    notifyFd: fd('HOTRELOAD_NOTIFY_FD'),
    controlFd: fd('HOTRELOAD_CONTROL_FD'),
    publicPort: fd('HOTRELOAD_PUBLIC_PORT'),
    drainMs: parseDuration(env.HOTRELOAD_DRAIN_TIMEOUT) ?? 10_000,
    version: Number(env.HOTRELOAD_VERSION) || 1,
    startupPatches: parsePatches(env.HOTRELOAD_PLUGINS),
  };
  for (const name of HANDED_OVER) delete env[name];
  if (protocol.listenFd === undefined && protocol.notifyFd === undefined && protocol.controlFd === undefined) return undefined;
  return protocol;
}

/** "5000" (ms), "5s", "1m30s", "250ms" → milliseconds. */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = re.exec(text))) {
    total += Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    end = re.lastIndex;
  }
  return end === text.length && end > 0 ? total : undefined;
}

function parsePatches(text: string | undefined): Record<string, string> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** The JSON lines a program sends the engine on its notify descriptor. */
export type NotifyEvent =
  | { event: 'ready' }
  | { event: 'draining' }
  | { event: 'patched'; slot: string; id: number }
  | { event: 'patchFailed'; slot: string; id: number; error: string };

/** The engine's command to load a new build as the slot's version `id`. */
export interface PatchCommand {
  op: 'patch';
  slot: string;
  id: number;
  path: string;
}

/** A control line: a patch, another op (a newer engine's: ignored), or not a command. */
export type ControlLine = { kind: 'patch'; command: PatchCommand } | { kind: 'unknown'; op: string } | { kind: 'malformed'; error: string };

export function formatNotifyEvent(event: NotifyEvent): string {
  return `${JSON.stringify(event)}\n`;
}

export function parseControlLine(line: string): ControlLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { kind: 'malformed', error: (err as Error).message };
  }
  if (typeof value !== 'object' || value === null || typeof (value as { op?: unknown }).op !== 'string') return { kind: 'malformed', error: 'no "op"' };
  const { op, slot, id, path } = value as { op: string; slot?: unknown; id?: unknown; path?: unknown };
  if (op !== 'patch') return { kind: 'unknown', op };
  if (typeof slot !== 'string' || typeof id !== 'number' || typeof path !== 'string')
    return { kind: 'malformed', error: 'a patch command needs a "slot" string, an "id" number and a "path" string' };
  return { kind: 'patch', command: { op, slot, id, path } };
}
