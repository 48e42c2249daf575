import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { Disposable } from '../kernel/disposable';
import { reportLine } from '../session/report/reportText';
import type { Session } from '../session/session';
import { liveRecords, newEndpointPlace, ownStartTime, publishRecord, withdrawRecord, type ControlRecord } from './discovery';
import { LineChannel } from './lineChannel';
import { CONTROL_PROTOCOL, decodeRequest, type ErrorCode, type FrontEnd, type Hello, type Method, type Methods, type Request, type Status } from './messages';
import { DEFAULT_LOG_LIMITS, SessionLog, type LogLimits } from './sessionLog';
import { waitForServing } from './waitForServing';

export interface ControlOptions {
  frontEnd: FrontEnd;
  /** Stops the session as its front end does: the CLI exits, the editor turns the folder off. */
  stop(): void | Promise<void>;
  /** The service's name, when the folder runs several. */
  service?: string | null;
  logLimits?: LogLimits;
}

/** The most a wait may be asked to last: a day. */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * A session's control endpoint: a Unix socket in the user's run directory (a named pipe on
 * Windows), published with a discovery record, that answers status, wait, logs, restart and stop
 * for the CLI's subcommands, the MCP server and VS Code's language model tools alike. Opened by
 * the front end that runs the session, before the session starts, so its log holds everything.
 *
 * Only this user gets in: the run directory is 0700 and the socket 0600 (Node cannot read a Unix
 * socket's peer credentials, SO_PEERCRED, without a native module), and every connection must
 * first present the token of the record, which only this user can read; on Windows the token is
 * the whole check.
 */
/** Where the endpoint listens, and the record that tells clients so. */
interface PublishedEndpoint {
  record: ControlRecord;
  recordFile: string;
  server: net.Server;
}

export class ControlEndpoint {
  private readonly connections = new Set<ControlConnection>();
  private readonly disposables: Disposable[] = [];
  private closed = false;

  readonly record: ControlRecord;
  private readonly recordFile: string;
  private readonly server: net.Server;

  private constructor(
    readonly session: Session,
    readonly log: SessionLog,
    published: PublishedEndpoint,
    readonly options: ControlOptions,
  ) {
    ({ record: this.record, recordFile: this.recordFile, server: this.server } = published);
    this.server.on('connection', (socket) => {
      const connection = new ControlConnection(this, socket, () => this.connections.delete(connection));
      this.connections.add(connection);
    });
    this.disposables.push(
      session.events.on((event) => {
        log.follow(event);
        // Followers are told the session ended; what they asked for is complete.
        if (event.type === 'state' && event.state === 'stopped') for (const connection of this.connections) connection.endFollowing('the session stopped');
      }),
    );
  }

  /** Listens and publishes the record; stale records of killed engines are removed on the way. */
  static async open(session: Session, options: ControlOptions): Promise<ControlEndpoint> {
    liveRecords();
    const { socket, recordFile, token } = newEndpointPlace();
    const server = net.createServer({ allowHalfOpen: false });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (process.platform !== 'win32') fs.chmodSync(socket, 0o600);
    const record: ControlRecord = {
      protocol: CONTROL_PROTOCOL,
      pid: process.pid,
      startTime: ownStartTime(),
      root: session.settings.root,
      service: options.service ?? null,
      frontEnd: options.frontEnd,
      socket,
      token,
      startedAt: Date.now(),
    };
    const log = new SessionLog(session.settings.root, options.logLimits ?? DEFAULT_LOG_LIMITS);
    const endpoint = new ControlEndpoint(session, log, { record, recordFile, server }, options);
    publishRecord(recordFile, record);
    return endpoint;
  }

  /** The session's status as `hotreload status` shows it. */
  status(): Status {
    const { session } = this;
    const state = session.lastState;
    const last = session.lastReport;
    return {
      state: session.currentState,
      ...(state?.detail ? { detail: state.detail } : {}),
      ...(session.currentVersion !== undefined ? { version: session.currentVersion } : {}),
      ...(session.currentProgram ? { pid: session.currentProgram.pid } : {}),
      ...(session.url ? { address: session.url } : {}),
      strategy: session.strategy.name,
      ...(state?.target ? { target: state.target } : {}),
      reloading: session.reloading,
      ...(last ? { lastReload: last, lastReloadLine: reportLine(last, session.settings.root) } : {}),
      errors: [...session.diagnostics],
    };
  }

  /** Closes the socket and every connection (followers are told the session ended) and withdraws the record. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    withdrawRecord(this.recordFile, this.record.socket);
    for (const d of this.disposables) d.dispose();
    for (const connection of this.connections) connection.end('the session stopped');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.log.dispose();
  }
}

/** One client's connection: hello first, then requests, each answered by id. */
class ControlConnection {
  private readonly channel: LineChannel;
  private authorised = false;
  private readonly abort = new AbortController();
  private following: Disposable | undefined;

  constructor(
    private readonly endpoint: ControlEndpoint,
    socket: net.Socket,
    onClose: () => void,
  ) {
    this.channel = new LineChannel(
      socket,
      (line) => void this.onLine(line),
      () => {
        this.abort.abort();
        this.following?.dispose();
        onClose();
      },
    );
  }

  end(reason: string): void {
    this.endFollowing(reason);
    this.abort.abort();
    this.channel.close();
  }

  /** A `logs --follow` under way ends: the client is told why. */
  endFollowing(reason: string): void {
    if (!this.following) return;
    this.following.dispose();
    this.following = undefined;
    this.channel.send({ method: 'end', params: { reason } });
  }

  private async onLine(line: string): Promise<void> {
    const decoded = decodeRequest(line);
    if (!decoded.ok) {
      this.fail(decoded.id ?? 0, decoded.code, decoded.message);
      if (!this.authorised) this.channel.close();
      return;
    }
    const { request } = decoded;
    if (!this.authorised && request.method !== 'hello') {
      this.fail(request.id, 'unauthorized', 'say hello with the token first');
      this.channel.close();
      return;
    }
    try {
      const result = await this.answer(request);
      if (result !== undefined) this.channel.send({ id: request.id, result });
    } catch (err) {
      this.fail(request.id, 'internal', (err as Error).message);
    }
  }

  private async answer(request: Request): Promise<Methods[Method]['result'] | undefined> {
    const { session, options } = this.endpoint;
    switch (request.method) {
      case 'hello':
        return this.hello(request as Request<'hello'>);
      case 'status':
        return this.endpoint.status();
      case 'wait': {
        const { timeoutMs } = (request as Request<'wait'>).params;
        return waitForServing(session, { timeoutMs: Math.min(timeoutMs, MAX_WAIT_MS), signal: this.abort.signal });
      }
      case 'logs': {
        const params = (request as Request<'logs'>).params;
        if (params.follow) {
          // The answer, then every entry added after it (nothing runs in between: no entry is lost or doubled).
          this.channel.send({ id: request.id, result: this.endpoint.log.read(params) });
          this.following?.dispose();
          this.following = this.endpoint.log.added.on((entry) => this.channel.send({ method: 'log', params: entry }));
          return undefined;
        }
        return this.endpoint.log.read(params);
      }
      case 'restart':
        if (session.currentState === 'stopped') throw new Error('the session was stopped');
        session.restart();
        return { queued: true };
      case 'stop':
        // Answered before the session goes (its endpoint closes with it).
        this.channel.send({ id: request.id, result: { stopping: true } });
        void Promise.resolve(options.stop()).catch(() => undefined);
        return undefined;
    }
  }

  /** Undefined when refused: the connection is closed then. */
  private hello(request: Request<'hello'>): Hello | undefined {
    const { token, protocol } = request.params;
    const expected = Buffer.from(this.endpoint.record.token);
    const given = Buffer.from(token);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      this.fail(request.id, 'unauthorized', 'wrong token');
      this.channel.close();
      return undefined;
    }
    if (protocol !== CONTROL_PROTOCOL) throw new Error(`this engine speaks control protocol ${CONTROL_PROTOCOL}, the client ${protocol}: update the older one`);
    this.authorised = true;
    const { record } = this.endpoint;
    return { protocol: CONTROL_PROTOCOL, pid: record.pid, root: record.root, service: record.service, frontEnd: record.frontEnd };
  }

  private fail(id: number, code: ErrorCode, message: string): void {
    this.channel.send({ id, error: { code, message } });
  }
}
