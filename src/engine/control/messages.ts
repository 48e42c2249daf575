/**
 * The control endpoint's wire messages, in one place: a client (the CLI's subcommands, the MCP
 * server, VS Code's language model tools) sends requests, one JSON object per line, and the
 * session's endpoint answers each with a response carrying the same `id`; while a `logs` request
 * follows, the endpoint also sends `log` notifications. The first request must be `hello` with
 * the token from the discovery record (readable by this user only). The golden transcripts in
 * test/fixtures/protocol/control are read by the server's and the client's tests alike.
 */
import type { Diagnostic } from '../kernel/diagnostic';
import type { ReloadReport, SessionState, Strategy } from '../kernel/events';

/** Changes when a message changes incompatibly; both sides say theirs in `hello`. */
export const CONTROL_PROTOCOL = 1;

/** What each method takes and answers. */
export interface Methods {
  hello: { params: { protocol: number; token: string }; result: Hello };
  status: { params: Record<string, never>; result: Status };
  wait: { params: { timeoutMs: number }; result: WaitResult };
  logs: { params: LogsParams; result: LogsResult };
  restart: { params: Record<string, never>; result: { queued: true } };
  stop: { params: Record<string, never>; result: { stopping: true } };
}

export type Method = keyof Methods;

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  params: Methods[M]['params'];
}

export type ErrorCode = 'bad-request' | 'unauthorized' | 'unknown-method' | 'stopped' | 'internal';

export type Response<M extends Method = Method> = { id: number; result: Methods[M]['result'] } | { id: number; error: { code: ErrorCode; message: string } };

/** Sent while a `logs` request with `follow` is open; `end` closes it (the session stopped). */
export type Notification = { method: 'log'; params: LogEntry } | { method: 'end'; params: { reason: string } };

export interface Hello {
  protocol: number;
  /** The engine process. */
  pid: number;
  /** The project folder the session runs in. */
  root: string;
  /** The service's name, when the folder runs several (none yet: one session per folder). */
  service: string | null;
  /** Which front end started the session. */
  frontEnd: FrontEnd;
}

export type FrontEnd = 'cli' | 'vscode';

/** A build error or a crash site, as the editor shows it (absolute paths, 1-based lines; 0: unknown). */
export type Problem = Diagnostic;

export interface Status {
  state: SessionState;
  /** Why, in a sentence: what failed, what it waits for. */
  detail?: string;
  /** The version serving, its process and where it answers. */
  version?: number;
  pid?: number;
  address?: string;
  strategy: Strategy;
  /** Where the program runs when not on this machine ("web-1"). */
  target?: string;
  /** A reload is under way or waiting. */
  reloading: boolean;
  /** The last reload, and that report as one line (paths relative to the root). */
  lastReload?: ReloadReport;
  lastReloadLine?: string;
  /** The build errors or the crash shown now. */
  errors: Problem[];
}

/**
 * How a wait ended: what is on disk serves (`serving`), or why not. `build-failed` and `crashed`
 * describe the sources on disk; `version` is then what still serves, if anything.
 */
export type WaitResult =
  | { outcome: 'serving'; version: number; pid?: number; address?: string; strategy: Strategy; lastReload?: ReloadReport; waitedMs: number }
  | { outcome: 'build-failed'; message: string; errors: Problem[]; version?: number; waitedMs: number }
  | { outcome: 'crashed'; message: string; errors: Problem[]; version?: number; waitedMs: number }
  | { outcome: 'timeout'; message: string; state: SessionState; waitedMs: number }
  | { outcome: 'stopped'; message: string; waitedMs: number };

export interface LogsParams {
  /** Output of this version and later, and the reload log from when it came. */
  sinceVersion?: number;
  /** The last this many lines only. */
  lines?: number;
  /** Keep sending what comes (`log` notifications) until the client closes or the session ends. */
  follow?: boolean;
}

export type LogEntry =
  | { seq: number; at: number; kind: 'output'; version: number; stream: 'stdout' | 'stderr'; text: string }
  | { seq: number; at: number; kind: 'engine'; level: 'info' | 'warn' | 'error'; text: string; version?: number };

export interface LogsResult {
  entries: LogEntry[];
  /** What the bounded logs no longer hold: bytes of program output, lines of the reload log. */
  droppedOutputBytes: number;
  droppedEngineLines: number;
}

/** A request read off the wire, checked; or why it is not one (with its id when it had one). */
export type DecodedRequest = { ok: true; request: Request } | { ok: false; id: number | undefined; code: ErrorCode; message: string };

const PARAM_TYPES: { [M in Method]: Record<string, 'number' | 'string' | 'boolean' | 'number?' | 'boolean?'> } = {
  hello: { protocol: 'number', token: 'string' },
  status: {},
  wait: { timeoutMs: 'number' },
  logs: { sinceVersion: 'number?', lines: 'number?', follow: 'boolean?' },
  restart: {},
  stop: {},
};

/** Checks one line from a client: a JSON object with a numeric id, a known method and its params' types. */
export function decodeRequest(line: string): DecodedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, id: undefined, code: 'bad-request', message: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, id: undefined, code: 'bad-request', message: 'not a JSON object' };
  const { id, method, params = {} } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isInteger(id)) return { ok: false, id: undefined, code: 'bad-request', message: 'no integer "id"' };
  if (typeof method !== 'string' || !Object.hasOwn(PARAM_TYPES, method))
    return { ok: false, id, code: 'unknown-method', message: `unknown method ${JSON.stringify(method)}` };
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    return { ok: false, id, code: 'bad-request', message: '"params" is not an object' };
  const checked: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(PARAM_TYPES[method as Method])) {
    const fieldValue = (params as Record<string, unknown>)[field];
    const type = spec.replace('?', '');
    if (fieldValue === undefined && spec.endsWith('?')) continue;
    const ok = type === 'number' ? typeof fieldValue === 'number' && Number.isFinite(fieldValue) && fieldValue >= 0 : typeof fieldValue === type;
    if (!ok) return { ok: false, id, code: 'bad-request', message: `${method}: "${field}" is not a ${type === 'number' ? 'number ≥ 0' : type}` };
    checked[field] = fieldValue;
  }
  return { ok: true, request: { id, method: method as Method, params: checked } };
}

/** A line from the endpoint: a response to request `id`, or a notification. Undefined when it is neither. */
export function decodeServerLine(line: string): { response: Response } | { notification: Notification } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.id === 'number' && ('result' in record || (typeof record.error === 'object' && record.error !== null)))
    return { response: record as unknown as Response };
  if ((record.method === 'log' || record.method === 'end') && typeof record.params === 'object' && record.params !== null)
    return { notification: record as unknown as Notification };
  return undefined;
}
