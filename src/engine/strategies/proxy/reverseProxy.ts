import * as http from 'node:http';
import * as net from 'node:net';
import type { Readable } from 'node:stream';
import type { PageHooks, ProxiedRequest } from '../../browser/pageHooks';
import type { ListenAddress } from '../publicAddress';

export type { Backend } from './backend';
import { holdInflight, MAX_ATTEMPTS, type Backend } from './backend';
import { requestHeaders, responseHeaders } from './headers';
import { describeListening, listenHttp, type Listening } from './listenHttp';
import { badGateway, noBackend, rawError, unavailable } from './responses';
import { openTunnel, type TunnelContext } from './tunnel';

interface Held {
  /** Resumes with the backend to use, or with undefined when the wait is over without one. */
  resume(backend: Backend | undefined): void;
  /** Not this one (it refused the connection): wait for another. */
  exclude: Backend | undefined;
  timer: NodeJS.Timeout;
}

export interface ReverseProxyOptions {
  /** How long a request waits for a backend when none serves (between versions, after a crash). */
  waitTimeoutMs: number;
  /** Browser reload: the engine's own endpoints, and pages rewritten on their way through. */
  pages?: PageHooks;
}

/** Methods a client could repeat itself without harm (RFC 9110 §9.2.2): only those are retried after a reset. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * An HTTP/1.1 reverse proxy with an atomic switch between backends. Clients keep their connections
 * to the proxy across switches; each request goes to the backend that is active when it arrives, over
 * that backend's own keep-alive agent, so in-flight requests finish on the old version while new ones
 * go to the new. Responses stream through (chunked, server-sent events); Upgrade requests (websockets)
 * become raw tunnels counted as in flight until either side closes.
 *
 * When no backend is active, requests are held (up to waitTimeoutMs) and sent once one is. A request
 * whose connection the backend refused (the version just died), or whose reused keep-alive connection
 * it reset before answering (an idempotent request without a body), is sent again, so a switch or a
 * crash costs clients no failed request.
 */
export class ReverseProxy {
  private server: http.Server | undefined;
  private listening: Listening | undefined;
  private active: Backend | undefined;
  /** Why nothing serves and nothing is on its way (a version failed to start): requests get a 503 with it at once. */
  private downReason: string | undefined;
  private readonly held = new Set<Held>();
  private readonly tunnels = new Set<net.Socket>();
  private readonly backends = new Set<Backend>();
  private closed = false;
  private readonly tunnelContext: TunnelContext = {
    tunnels: this.tunnels,
    release: (backend) => this.release(backend),
    hold: (exclude, then, abandoned) => this.hold(exclude, then, abandoned),
  };

  constructor(private readonly options: ReverseProxyOptions) {}

  /**
   * Starts listening; resolves with the bound address (the real port when 0 was asked for). LOOPBACK
   * ("localhost") is 127.0.0.1 and ::1 on one port; "" is every interface.
   */
  async listen(address: ListenAddress): Promise<ListenAddress> {
    const server = http.createServer({ noDelay: true });
    // Uploads and long polls may take as long as they take; the program sets its own limits.
    server.requestTimeout = 0;
    server.on('request', (req, res) => this.onRequest(req, res));
    server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.onUpgrade(req, socket, head));
    server.on('clientError', (_err, socket: net.Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.server = server;
    this.listening = await listenHttp(server, address);
    return this.listening.address;
  }

  /** Where it listens, for the log: "127.0.0.1:8080 and [::1]:8080". */
  get where(): string | undefined {
    return this.listening && describeListening(this.listening);
  }

  get current(): Backend | undefined {
    return this.active;
  }

  /** Requests held until a version serves. */
  get waiting(): number {
    return this.held.size;
  }

  createBackend(port: number, label: string, host = '127.0.0.1'): Backend {
    const backend: Backend = {
      label,
      host,
      port,
      agent: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo', noDelay: true }),
      inflight: 0,
      dead: false,
      idleWaiters: [],
    };
    this.backends.add(backend);
    return backend;
  }

  /** From now on new requests go to `backend` (undefined: they are held until one is set). */
  setActive(backend: Backend | undefined): void {
    this.active = backend && !backend.dead ? backend : undefined;
    if (this.active) {
      this.downReason = undefined;
      this.releaseHeld();
    }
  }

  /**
   * No version serves and none is coming (`reason`): held and new requests get a 503 with it at
   * once instead of waiting. Undefined: one is on its way again, so requests wait for it.
   */
  setUnavailable(reason: string | undefined): void {
    if (reason !== undefined && this.active) return;
    this.downReason = reason;
    if (reason === undefined) return;
    for (const held of [...this.held]) {
      clearTimeout(held.timer);
      this.held.delete(held);
      held.resume(undefined);
    }
  }

  /** Its process is gone: it takes no more requests, and held requests wait for the next one. */
  backendGone(backend: Backend): void {
    backend.dead = true;
    if (this.active === backend) this.active = undefined;
  }

  /** Resolves true once nothing is in flight on `backend`, false if `timeoutMs` passes first. */
  drain(backend: Backend, timeoutMs: number): Promise<boolean> {
    if (backend.inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        backend.idleWaiters = backend.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      backend.idleWaiters.push(done);
    });
  }

  /** Forgets a backend and closes its idle connections. */
  removeBackend(backend: Backend): void {
    this.backendGone(backend);
    this.backends.delete(backend);
    backend.agent.destroy();
  }

  /** Stops listening and closes every client connection, tunnel and backend connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const held of [...this.held]) {
      clearTimeout(held.timer);
      this.held.delete(held);
      held.resume(undefined);
    }
    for (const socket of this.tunnels) socket.destroy();
    for (const backend of this.backends) backend.agent.destroy();
    const server = this.server;
    if (!server) return;
    this.listening?.extra?.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const pages = this.options.pages;
    if (pages?.serve(req, res)) return;
    const page = pages?.begin(req);
    const backend = this.active;
    if (backend !== undefined) this.forward({ req, res, page }, backend, 1);
    else if (this.downReason !== undefined) unavailable(req, res, this.downReason);
    else
      this.hold(
        undefined,
        (b) => (b ? this.forward({ req, res, page }, b, 1) : this.noVersion(req, res)),
        () => res.destroyed,
      );
  }

  /** Waits for an active backend other than `exclude`. */
  private hold(exclude: Backend | undefined, then: (backend: Backend | undefined) => void, abandoned: () => boolean): void {
    if (this.closed) return then(undefined);
    const entry: Held = {
      exclude,
      resume: (backend) => {
        if (!abandoned()) then(backend);
      },
      timer: setTimeout(() => {
        this.held.delete(entry);
        entry.resume(undefined);
      }, this.options.waitTimeoutMs),
    };
    this.held.add(entry);
  }

  private releaseHeld(): void {
    const backend = this.active;
    if (!backend) return;
    for (const entry of [...this.held]) {
      if (entry.exclude === backend) continue;
      clearTimeout(entry.timer);
      this.held.delete(entry);
      entry.resume(backend);
    }
  }

  private noVersion(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.downReason !== undefined) unavailable(req, res, this.downReason);
    else noBackend(res);
  }

  private forward(exchange: Exchange, backend: Backend, attempt: number): void {
    const { req, res } = exchange;
    const release = holdInflight(backend, (b) => this.release(b));
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    const upstream = http.request({
      host: backend.host,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: requestHeaders(req),
      agent: backend.agent,
      setHost: false,
    });
    let answered = false;
    upstream.on('response', (upRes) => {
      answered = true;
      respond(exchange, upRes);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      release();
      if (answered || res.headersSent) {
        res.destroy();
        return;
      }
      if (res.destroyed) return;
      const refused = err.code === 'ECONNREFUSED';
      const reset = upstream.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && IDEMPOTENT.has(req.method ?? '');
      if (!hasBody && attempt < MAX_ATTEMPTS && (refused || reset)) this.retry(exchange, backend, attempt, refused);
      else badGateway(res, backend, err);
    });
    res.on('close', () => {
      // The client went away (or the response is complete): stop the upstream side too.
      if (!res.writableFinished) upstream.destroy();
      release();
    });
    if (hasBody) req.pipe(upstream);
    else upstream.end();
  }

  /** A request no version answered yet, sent again: to the next version, or held until one serves. */
  private retry(exchange: Exchange, backend: Backend, attempt: number, refused: boolean): void {
    const again = (b: Backend | undefined): void => (b ? this.forward(exchange, b, attempt + 1) : this.noVersion(exchange.req, exchange.res));
    const gone = (): boolean => exchange.res.destroyed;
    // Refused: that version is not listening any more (it just died); wait for the next one.
    if (refused && (backend.dead || this.active === backend)) this.hold(backend, again, gone);
    else if (this.active) this.forward(exchange, this.active, attempt + 1);
    else this.hold(undefined, again, gone);
  }

  private release(backend: Backend): void {
    backend.inflight--;
    if (backend.inflight === 0 && backend.idleWaiters.length > 0) {
      const waiters = backend.idleWaiters;
      backend.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private onUpgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const backend = this.active;
    const noVersion = () => rawError(socket, 503, this.downReason ?? 'no version of the program is serving');
    if (backend !== undefined) openTunnel(this.tunnelContext, { req, socket, head }, { backend, attempt: 1 });
    else if (this.downReason !== undefined) noVersion();
    else
      this.hold(
        undefined,
        (b) => (b ? openTunnel(this.tunnelContext, { req, socket, head }, { backend: b, attempt: 1 }) : noVersion()),
        () => socket.destroyed,
      );
  }
}

/** A request on its way through: the client's side, and the page rewrite browser reload asked for. */
interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  page: ProxiedRequest | undefined;
}

/** Sends a version's response on to the client, through the page rewrite's steps if any. */
function respond({ res, page }: Exchange, upRes: http.IncomingMessage): void {
  if (res.destroyed) {
    upRes.resume();
    return;
  }
  const headers = responseHeaders(upRes.rawHeaders);
  const rewrite = page?.respond(upRes.statusCode ?? 502, headers);
  res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, rewrite?.headers ?? headers);
  // pipe(), not pipeline(): the latter costs ~50 µs a response; errors and early closes are handled here.
  let body: Readable = upRes;
  for (const step of rewrite?.body ?? []) {
    body.on('error', () => res.destroy());
    res.on('close', () => step.destroy());
    body = body.pipe(step);
  }
  body.pipe(res);
  body.on('error', () => res.destroy());
}
