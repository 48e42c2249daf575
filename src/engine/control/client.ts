import * as net from 'node:net';
import type { Disposable } from '../kernel/disposable';
import { engineAlive, findSession, liveRecords, type ControlRecord, type SessionQuery } from './discovery';
import { LineChannel } from './lineChannel';
import {
  CONTROL_PROTOCOL,
  decodeServerLine,
  type ErrorCode,
  type Hello,
  type LogEntry,
  type LogsParams,
  type LogsResult,
  type Method,
  type Methods,
  type Response,
  type Status,
  type WaitResult,
} from './messages';

/** Why a client could not do what it was asked: no session, several, a broken connection, or the endpoint's own error. */
export class ControlError extends Error {
  constructor(
    readonly code: ErrorCode | 'no-session' | 'several-sessions' | 'connection',
    message: string,
  ) {
    super(message);
  }
}

/** Extra time a client gives a wait beyond its own timeout, for the answer to travel. */
const WAIT_SLACK_MS = 5000;

/**
 * The one client of a session's control endpoint, which the CLI's subcommands, the MCP server and
 * VS Code's language model tools are thin front ends over: finds the session for a folder,
 * connects, proves it is this user (the record's token), and turns each method into a call.
 */
export class ControlClient implements Disposable {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (response: Response) => void; reject: (err: Error) => void }>();
  private readonly followers = new Set<(entry: LogEntry | { end: string }) => void>();
  private closedWith: Error | undefined;

  private readonly channel: LineChannel;

  private constructor(
    readonly record: ControlRecord,
    socket: net.Socket,
  ) {
    this.channel = new LineChannel(
      socket,
      (line) => this.onLine(line),
      () => this.onClose(),
    );
  }

  /** The endpoint's hello, once connected. */
  hello!: Hello;

  /** Finds the session for `query` and connects to it; throws a ControlError saying why not. */
  static async connect(query: SessionQuery): Promise<ControlClient> {
    const found = findSession(query);
    if ('problem' in found) throw new ControlError(found.problem === 'none' ? 'no-session' : 'several-sessions', found.message);
    return ControlClient.connectTo(found.record);
  }

  /** Connects to the endpoint a record names (a record of a dead engine is refused, never trusted). */
  static async connectTo(record: ControlRecord): Promise<ControlClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(record.socket);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    }).catch((err: NodeJS.ErrnoException) => {
      // The engine was killed between the listing and now: its record goes the next time anyone lists.
      if (!engineAlive(record)) liveRecords();
      throw new ControlError('connection', `cannot reach the session of ${record.root} (engine pid ${record.pid}): ${err.code ?? err.message}`);
    });
    const client = new ControlClient(record, socket);
    client.hello = await client.call('hello', { protocol: CONTROL_PROTOCOL, token: record.token });
    if (client.hello.pid !== record.pid) {
      client.dispose();
      throw new ControlError('connection', `the endpoint at ${record.socket} is not the engine its record names`);
    }
    return client;
  }

  status(): Promise<Status> {
    return this.call('status', {});
  }

  /** Resolves once what is on disk serves, or with why not; `timeoutMs` bounds it. */
  wait(timeoutMs: number): Promise<WaitResult> {
    return this.call('wait', { timeoutMs }, timeoutMs + WAIT_SLACK_MS);
  }

  /**
   * The log entries asked for; with `follow`, `onEntry` then gets each new one, and the promise
   * `followed` resolves when the session ends (or the client is disposed).
   */
  async logs(params: LogsParams, onEntry?: (entry: LogEntry) => void): Promise<LogsResult & { followed?: Promise<string> }> {
    if (!params.follow) return this.call('logs', params);
    let ended!: (reason: string) => void;
    const followed = new Promise<string>((resolve) => (ended = resolve));
    const follower = (entry: LogEntry | { end: string }) => {
      if ('end' in entry) {
        this.followers.delete(follower);
        ended(entry.end);
      } else onEntry?.(entry);
    };
    this.followers.add(follower);
    const result = await this.call('logs', params);
    return { ...result, followed };
  }

  restart(): Promise<{ queued: true }> {
    return this.call('restart', {});
  }

  stop(): Promise<{ stopping: true }> {
    return this.call('stop', {});
  }

  dispose(): void {
    this.channel.close();
    this.onClose();
  }

  private call<M extends Method>(method: M, params: Methods[M]['params'], timeoutMs?: number): Promise<Methods[M]['result']> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise<Methods[M]['result']>((resolve, reject) => {
      const timer =
        timeoutMs !== undefined
          ? setTimeout(() => settle(() => reject(new ControlError('connection', `no answer to ${method} within ${timeoutMs} ms`))), timeoutMs)
          : undefined;
      const settle = (then: () => void) => {
        clearTimeout(timer);
        this.pending.delete(id);
        then();
      };
      this.pending.set(id, {
        resolve: (response) =>
          settle(() => ('error' in response ? reject(new ControlError(response.error.code, response.error.message)) : resolve(response.result))),
        reject: (err) => settle(() => reject(err)),
      });
      this.channel.send({ id, method, params });
    });
  }

  private onLine(line: string): void {
    const decoded = decodeServerLine(line);
    if (!decoded) return;
    if ('response' in decoded) {
      this.pending.get(decoded.response.id)?.resolve(decoded.response);
      return;
    }
    const { notification } = decoded;
    for (const follower of [...this.followers]) follower(notification.method === 'log' ? notification.params : { end: notification.params.reason });
  }

  private onClose(): void {
    this.closedWith ??= new ControlError('connection', 'the session closed the connection (it stopped)');
    for (const { reject } of [...this.pending.values()]) reject(this.closedWith);
    for (const follower of [...this.followers]) follower({ end: 'the connection closed' });
  }
}
