import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAtOrInside } from '../kernel/paths';
import { readProcStat } from '../processes/processTree';
import { newToken, privateDirectory, runDirectory } from '../processes/runRecords';
import type { FrontEnd } from './messages';

/**
 * How a client finds a session's control endpoint: each endpoint writes a record (JSON, 0600) in
 * the user's run directory (0700: no other user can list, read or connect to anything in it), with
 * its project folder, its socket and a token the client must present. A record whose engine
 * process is gone (same pid and start time, or the pid reused by another process) is stale: it
 * and its socket are removed the first time anyone lists the records, and never connected to.
 */
export interface ControlRecord {
  protocol: number;
  /** The engine process, and its start time from /proc (null where there is none). */
  pid: number;
  startTime: number | null;
  root: string;
  /** The service's name, when the folder runs several (issue 21); null for a folder's one session. */
  service: string | null;
  frontEnd: FrontEnd;
  /** A Unix socket's path, or a Windows named pipe's name. */
  socket: string;
  token: string;
  startedAt: number;
}

const RECORD = /^control-\d+-\d+\.json$/;
/** A Unix socket's path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

let nextEndpoint = 0;

/** Where a new endpoint of this process listens, and the record that names it. */
export function newEndpointPlace(): { socket: string; recordFile: string; token: string } {
  const dir = runDirectory();
  const name = `control-${process.pid}-${++nextEndpoint}`;
  const token = newToken();
  if (process.platform === 'win32') return { socket: `\\\\.\\pipe\\hotreload-${name}-${token.slice(0, 8)}`, recordFile: path.join(dir, `${name}.json`), token };
  let socket = path.join(dir, `${name}.sock`);
  // A long home directory: the socket goes to a private folder under the temp dir instead (the record stays).
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH)
    socket = path.join(privateDirectory(path.join(os.tmpdir(), `hotreload-${process.getuid?.() ?? 'user'}`)), `${name}.sock`);
  fs.rmSync(socket, { force: true });
  return { socket, recordFile: path.join(dir, `${name}.json`), token };
}

/** Publishes a record (written whole, 0600: it holds the token). */
export function publishRecord(file: string, record: ControlRecord): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(record), { mode: 0o600, flag: 'w' });
  fs.renameSync(temp, file);
}

/** Removes a record and its socket. */
export function withdrawRecord(file: string, socket: string): void {
  fs.rmSync(file, { force: true });
  if (process.platform !== 'win32') removeSocket(socket);
}

/** The records of live engines; stale ones (engine gone, socket missing or not ours) are removed on the way. */
export function liveRecords(): ControlRecord[] {
  let dir: string;
  let names: string[];
  try {
    dir = runDirectory();
    names = fs.readdirSync(dir).filter((n) => RECORD.test(n));
  } catch {
    return [];
  }
  const live: ControlRecord[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const record = readRecord(file);
    if (record && engineAlive(record) && socketIsOurs(record.socket)) live.push(record);
    else if (record === undefined || !engineAlive(record)) withdrawRecord(file, record?.socket ?? '');
  }
  return live;
}

/** A record that cannot be read is one being written, or garbage: undefined either way. */
function readRecord(file: string): ControlRecord | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ControlRecord>;
    if (typeof value.pid !== 'number' || typeof value.root !== 'string' || typeof value.socket !== 'string' || typeof value.token !== 'string')
      return undefined;
    return value as ControlRecord;
  } catch {
    return undefined;
  }
}

/** Whether the engine that wrote the record still runs: its pid with the same start time. */
export function engineAlive(record: Pick<ControlRecord, 'pid' | 'startTime'>): boolean {
  if (record.startTime !== null) return readProcStat(record.pid)?.startTime === record.startTime;
  try {
    process.kill(record.pid, 0); // no signal is sent: only whether the pid is ours and alive
    return true;
  } catch {
    return false; // gone, or another user's process now
  }
}

/** The start time /proc gives this process (null where there is no /proc). */
export function ownStartTime(): number | null {
  return readProcStat(process.pid)?.startTime ?? null;
}

/** A Unix socket file of this user's (a named pipe is checked by the token alone). */
function socketIsOurs(socket: string): boolean {
  if (process.platform === 'win32') return true;
  try {
    const stat = fs.lstatSync(socket);
    return stat.isSocket() && (process.getuid === undefined || stat.uid === process.getuid());
  } catch {
    return false;
  }
}

function removeSocket(socket: string): void {
  try {
    if (socket && fs.lstatSync(socket).isSocket()) fs.rmSync(socket, { force: true });
  } catch {
    // gone already
  }
}

/** What a client asks for: the folder it works in, and a service or an engine pid when several answer there. */
export interface SessionQuery {
  cwd: string;
  service?: string;
  pid?: number;
  /** Also a session of a folder inside `cwd` when none holds it (an editor's workspace, an agent at the repository's top). */
  orInside?: boolean;
}

export type Found = { record: ControlRecord } | { problem: 'none' | 'several'; message: string; candidates: ControlRecord[] };

/**
 * The session for a folder: the live record whose project folder holds `cwd` most closely (a
 * session of /a/b wins over one of /a for /a/b/c), narrowed by service and pid when given.
 */
export function findSession(query: SessionQuery, records: ControlRecord[] = liveRecords()): Found {
  const cwd = path.resolve(query.cwd);
  const wanted = records.filter((r) => (query.service === undefined || r.service === query.service) && (query.pid === undefined || r.pid === query.pid));
  let matching = wanted.filter((r) => isAtOrInside(r.root, cwd));
  if (matching.length === 0 && query.orInside) {
    const inside = wanted.filter((r) => isAtOrInside(cwd, r.root));
    if (inside.length > 1) {
      const list = inside.map((r) => `${r.root} (pid ${r.pid})`).join(', ');
      return { problem: 'several', message: `${inside.length} sessions run inside ${cwd}: ${list}`, candidates: inside };
    }
    matching = inside;
  }
  if (matching.length === 0) {
    const elsewhere = records.length > 0 ? ` (sessions run in: ${records.map((r) => r.root).join(', ')})` : '';
    return { problem: 'none', message: `no Hot Reload session runs for ${cwd}${elsewhere}`, candidates: [] };
  }
  const deepest = Math.max(...matching.map((r) => r.root.length));
  const closest = matching.filter((r) => r.root.length === deepest);
  if (closest.length === 1) return { record: closest[0] };
  const list = closest.map((r) => `pid ${r.pid} (${r.frontEnd}${r.service ? `, service ${r.service}` : ''})`).join(', ');
  return { problem: 'several', message: `${closest.length} sessions run for ${closest[0].root}: ${list}; say which with --pid`, candidates: closest };
}
