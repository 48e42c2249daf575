import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { PageProblem } from './problems';

/** What the engine tells pages over their event stream. */
export type PageMessage =
  /** Sent first on each connection: the version pages should show, and what is wrong, if anything. */
  | { type: 'hello'; epoch: string; problem: PageProblem | null }
  /** A new version serves and answers: pages from an older one reload. */
  | { type: 'reload'; epoch: string }
  /** These stylesheets changed and the program serves them as they are now: swap the links. */
  | { type: 'css'; urls: string[] }
  | { type: 'problem'; problem: PageProblem }
  | { type: 'clear' };

/** More than any browser opens (it shares one connection across its tabs); the oldest goes first. */
const MAX_CONNECTIONS = 128;
const HEARTBEAT_MS = 20_000;
/** How soon a browser reconnects after the engine went away (EventSource's own retry). */
const RETRY_MS = 500;

/**
 * The event streams (server-sent events) pages hold to the engine, and what they are told. The
 * epoch names the version pages should show: this engine's own id and the version serving, so a
 * page from an older version, or from before the engine restarted, reloads when it (re)connects.
 */
export class PageHub {
  private readonly streams = new Set<http.ServerResponse>();
  private readonly id = randomBytes(4).toString('hex');
  private current: string;
  private problem: PageProblem | null = null;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor() {
    this.current = `${this.id}.0`;
  }

  /** The version pages should show. */
  get epoch(): string {
    return this.current;
  }

  /** Open event streams: one per browser, however many of its tabs show the program. */
  get connections(): number {
    return this.streams.size;
  }

  /** Answers a page's request for its event stream and keeps it open. */
  connect(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.closed) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('hotreload: stopping\n');
      return;
    }
    req.socket.setNoDelay(true);
    // no-transform: a compressing proxy in between (code-server's) would otherwise hold messages back.
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store, no-transform', 'X-Accel-Buffering': 'no' });
    res.write(`retry: ${RETRY_MS}\n\n`);
    res.write(frame({ type: 'hello', epoch: this.current, problem: this.problem }));
    this.streams.add(res);
    res.on('close', () => this.drop(res));
    if (this.streams.size > MAX_CONNECTIONS) this.streams.values().next().value?.end();
    this.heartbeat ??= setInterval(() => this.write(': ping\n\n'), HEARTBEAT_MS).unref();
  }

  /** A new version serves: pages from an older one reload. */
  reload(version: number): void {
    this.current = `${this.id}.${version}`;
    this.problem = null;
    this.send({ type: 'reload', epoch: this.current });
  }

  show(problem: PageProblem): void {
    this.problem = problem;
    this.send({ type: 'problem', problem });
  }

  clear(): void {
    if (this.problem === null) return;
    this.problem = null;
    this.send({ type: 'clear' });
  }

  send(message: PageMessage): void {
    this.write(frame(message));
  }

  /** Ends every stream; browsers reconnect to whatever serves the port next. */
  dispose(): void {
    this.closed = true;
    for (const res of [...this.streams]) res.end();
    this.streams.clear();
    clearInterval(this.heartbeat);
  }

  private write(text: string): void {
    for (const res of this.streams) res.write(text);
  }

  private drop(res: http.ServerResponse): void {
    this.streams.delete(res);
    if (this.streams.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }
}

function frame(message: PageMessage): string {
  // JSON has no raw newlines, so one data line is the whole message.
  return `data: ${JSON.stringify(message)}\n\n`;
}
