import { decodeMessage, type Decoded, type MessageOf, type MessageShapes } from '../../kernel/wireMessages';

/**
 * The supervisor's protocol: every request the engine sends and every event the supervisor sends,
 * one JSON frame each (frames.ts). supervisor/messages.go is the other side. Both are held to the
 * golden transcripts in test/fixtures/protocol/supervisor, which the supervisor's Go test writes by
 * driving `serve` and test/unit/supervisorProtocol.test.ts reads back with these tables.
 */

/** Changes when a message changes incompatibly; the supervisor says its own in its hello. */
export const PROTOCOL_VERSION = 1;

/** What the engine asks (supervisor/messages.go `request`, by op). */
export const REQUESTS = {
  /** Runs a program; `env` replaces the supervisor's environment unless `inheritEnv` lays it over it. */
  spawn: {
    id: 'number',
    path: 'string',
    args: 'string[]',
    env: 'string[]',
    dir: 'string',
    listeners: 'string[]?',
    channels: 'boolean?',
    listenPid: 'boolean?',
    inheritEnv: 'boolean?',
    stopSignal: 'string',
    graceMs: 'number',
  },
  /** Signals every process of the program once, kills what is left after the grace period. */
  stop: { id: 'number', signal: 'string', graceMs: 'number' },
  closeInput: { id: 'number' },
  /** One line on the program's control channel. */
  control: { id: 'number', line: 'string' },
  /** Stops reading the program's output (it blocks on a full pipe: back-pressure). */
  pause: { id: 'number' },
  resume: { id: 'number' },
  /** A listening socket held for the session, passed to programs by name. */
  listen: { name: 'string', address: 'string' },
  unlisten: { name: 'string' },
  /** Stops every program, then (remove) empties the work dir, then exits. */
  shutdown: { graceMs: 'number', remove: 'boolean?' },
  /** A file follows in file frames, ended by fileEnd (remote targets). */
  file: { id: 'number', path: 'string', mode: 'number' },
  fileEnd: { id: 'number' },
  remove: { path: 'string' },
  /** Keeps a remote supervisor's watchdog from taking the silence for a lost engine. */
  ping: {},
} as const satisfies MessageShapes;

/** What the supervisor says (supervisor/messages.go `event`, by event). */
export const EVENTS = {
  /** The first message. */
  hello: { protocol: 'number', version: 'string', os: 'string', arch: 'string', pid: 'number' },
  spawned: { id: 'number', pid: 'number' },
  spawnFailed: { id: 'number', error: 'string' },
  /** A line the program wrote on its notify channel (an empty one has no `line`). */
  notify: { id: 'number', line: 'string?' },
  /** A stop finished; the exit follows. */
  stopped: { id: 'number', killed: 'boolean?', elapsedMs: 'number?' },
  /** The program and everything it started are gone and its output is all sent. */
  exited: { id: 'number', code: 'number?', signal: 'string?', error: 'string?' },
  listening: { name: 'string', host: 'string', port: 'number' },
  listenFailed: { name: 'string', error: 'string', errorCode: 'string?' },
  fileWritten: { id: 'number' },
  fileFailed: { id: 'number', error: 'string' },
  /** `name` is the path. */
  removed: { name: 'string', error: 'string?' },
  /** A message the supervisor could not understand. */
  error: { error: 'string' },
} as const satisfies MessageShapes;

export type SupervisorRequest = MessageOf<'op', typeof REQUESTS>;
export type SupervisorEvent = MessageOf<'event', typeof EVENTS>;
export type Hello = Extract<SupervisorEvent, { event: 'hello' }>;

/** The events about one program, handled by its SupervisedProcess. */
export type ProcessEvent = Extract<SupervisorEvent, { event: 'spawned' | 'spawnFailed' | 'notify' | 'stopped' | 'exited' }>;

const PROCESS_EVENTS: ReadonlySet<SupervisorEvent['event']> = new Set(['spawned', 'spawnFailed', 'notify', 'stopped', 'exited']);

export function isProcessEvent(event: SupervisorEvent): event is ProcessEvent {
  return PROCESS_EVENTS.has(event.event);
}

/** A JSON frame's message as an event of this protocol, or why it is not one. */
export function decodeEvent(message: unknown): Decoded<SupervisorEvent> {
  return decodeMessage('event', EVENTS, message);
}
