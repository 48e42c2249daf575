import * as http from 'node:http';
import * as net from 'node:net';
import type { ListenAddress } from '../publicAddress';

/** One version of the program as the proxy sees it: a loopback port and the connections to it. */
export interface Backend {
  readonly label: string;
  readonly host: string;
  readonly port: number;
  /** Keep-alive connections to this version only: a switch never sends a request down an old one. */
  readonly agent: http.Agent;
  /** Requests and upgraded connections under way on this backend. */
  inflight: number;
  /** Its process has exited (or it was removed): nothing is sent to it any more. */
  dead: boolean;
  idleWaiters: (() => void)[];
}

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
}

/** How often a request is tried again when the backend refused it or reset a reused connection. */
const MAX_ATTEMPTS = 4;

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
  private active: Backend | undefined;
  private readonly held = new Set<Held>();
  private readonly tunnels = new Set<net.Socket>();
  private readonly backends = new Set<Backend>();
  private closed = false;

  constructor(private readonly options: ReverseProxyOptions) {}

  /** Starts listening; resolves with the bound address (the real port when 0 was asked for). */
  listen(address: ListenAddress): Promise<ListenAddress> {
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
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const onListening = () => {
        server.off('error', reject);
        const bound = server.address() as net.AddressInfo;
        resolve({ host: address.host, port: bound.port });
      };
      if (address.host === '') server.listen({ port: address.port }, onListening);
      else server.listen({ port: address.port, host: address.host }, onListening);
    });
  }

  get current(): Backend | undefined {
    return this.active;
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
    if (this.active) this.releaseHeld();
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
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const backend = this.active;
    if (backend !== undefined) this.forward(req, res, backend, 1);
    else
      this.hold(
        undefined,
        (b) => (b ? this.forward(req, res, b, 1) : noBackend(res)),
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

  private forward(req: http.IncomingMessage, res: http.ServerResponse, backend: Backend, attempt: number): void {
    backend.inflight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.release(backend);
    };
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
      if (res.destroyed) {
        upRes.resume();
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, responseHeaders(upRes.rawHeaders));
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
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
      if (!hasBody && attempt < MAX_ATTEMPTS && (refused || reset)) {
        // Refused: that version is not listening any more (it just died); wait for the next one.
        if (refused && (backend.dead || this.active === backend)) {
          this.hold(
            backend,
            (b) => (b ? this.forward(req, res, b, attempt + 1) : noBackend(res)),
            () => res.destroyed,
          );
          return;
        }
        const next = this.active;
        if (next) this.forward(req, res, next, attempt + 1);
        else
          this.hold(
            undefined,
            (b) => (b ? this.forward(req, res, b, attempt + 1) : noBackend(res)),
            () => res.destroyed,
          );
        return;
      }
      badGateway(res, backend, err);
    });
    res.on('close', () => {
      // The client went away (or the response is complete): stop the upstream side too.
      if (!res.writableFinished) upstream.destroy();
      release();
    });
    if (hasBody) req.pipe(upstream);
    else upstream.end();
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
    if (backend !== undefined) this.tunnel(req, socket, head, backend, 1);
    else
      this.hold(
        undefined,
        (b) => (b ? this.tunnel(req, socket, head, b, 1) : rawError(socket, 502, 'no version of the program is serving')),
        () => socket.destroyed,
      );
  }

  private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer, backend: Backend, attempt: number): void {
    backend.inflight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.release(backend);
    };
    const upstream = http.request({
      host: backend.host,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: upgradeRequestHeaders(req),
      agent: false,
      setHost: false,
    });
    let answered = false;
    upstream.on('upgrade', (upRes, upSocket: net.Socket, upHead: Buffer) => {
      answered = true;
      if (socket.destroyed) {
        upSocket.destroy();
        release();
        return;
      }
      socket.write(rawHead(101, upRes.statusMessage || 'Switching Protocols', upRes.rawHeaders, false));
      if (upHead.length > 0) socket.write(upHead);
      if (head.length > 0) upSocket.write(head);
      upSocket.setNoDelay(true);
      socket.setNoDelay(true);
      this.tunnels.add(socket);
      const end = () => {
        this.tunnels.delete(socket);
        upSocket.destroy();
        socket.destroy();
        release();
      };
      upSocket.on('error', end);
      upSocket.on('close', end);
      socket.on('close', end);
      upSocket.pipe(socket);
      socket.pipe(upSocket);
    });
    upstream.on('response', (upRes) => {
      // The program answered without switching protocols: relay the answer and close.
      answered = true;
      socket.write(rawHead(upRes.statusCode ?? 502, upRes.statusMessage ?? '', upRes.rawHeaders, true));
      upRes.pipe(socket);
      upRes.on('end', release);
      upRes.on('error', () => (socket.destroy(), release()));
      socket.on('close', release);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      release();
      if (answered || socket.destroyed) {
        socket.destroy();
        return;
      }
      if (err.code === 'ECONNREFUSED' && attempt < MAX_ATTEMPTS) {
        this.hold(
          backend,
          (b) => (b ? this.tunnel(req, socket, head, b, attempt + 1) : rawError(socket, 502, 'no version of the program is serving')),
          () => socket.destroyed,
        );
        return;
      }
      rawError(socket, 502, `${backend.label} did not answer (${err.code ?? err.message})`);
    });
    socket.on('close', () => {
      if (!answered) upstream.destroy();
    });
    upstream.end();
  }
}

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the message, so the
 * proxy drops them both ways. Transfer-Encoding is kept on requests (Node then frames the body the
 * same way) and dropped on responses (Node frames the body for its own client).
 */
function isHopByHop(name: string, response: boolean): boolean {
  // Checked by length first: most headers are not hop-by-hop, and this avoids lower-casing them.
  switch (name.length) {
    case 2:
      return name.toLowerCase() === 'te';
    case 7: {
      const n = name.toLowerCase();
      return n === 'upgrade' || n === 'trailer';
    }
    case 10: {
      const n = name.toLowerCase();
      return n === 'connection' || n === 'keep-alive';
    }
    case 16:
      return name.toLowerCase() === 'proxy-connection';
    case 17:
      return response && name.toLowerCase() === 'transfer-encoding';
    default:
      return false;
  }
}

/** Extra headers a Connection header lists (rare): they are hop-by-hop too. */
function connectionListed(raw: string[]): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length !== 10 || raw[i].toLowerCase() !== 'connection') continue;
    for (const token of raw[i + 1].split(',')) {
      const t = token.trim().toLowerCase();
      if (t && t !== 'keep-alive' && t !== 'close' && t !== 'upgrade') (listed ??= new Set()).add(t);
    }
  }
  return listed;
}

function requestHeaders(req: http.IncomingMessage): string[] {
  const raw = req.rawHeaders;
  const listed = connectionListed(raw);
  const out: string[] = [];
  let forwardedFor: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (isHopByHop(name, false) || (listed && listed.has(name.toLowerCase()))) continue;
    if (name.length === 15 && name.toLowerCase() === 'x-forwarded-for') {
      forwardedFor = forwardedFor ? `${forwardedFor}, ${raw[i + 1]}` : raw[i + 1];
      continue;
    }
    out.push(name, raw[i + 1]);
  }
  const client = req.socket.remoteAddress;
  if (client) out.push('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${client}` : client);
  else if (forwardedFor) out.push('X-Forwarded-For', forwardedFor);
  out.push('X-Forwarded-Proto', 'http');
  return out;
}

function upgradeRequestHeaders(req: http.IncomingMessage): string[] {
  // Connection: Upgrade and Upgrade are what this request is about: keep them.
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (lower === 'keep-alive' || lower === 'proxy-connection' || lower === 'te' || lower === 'trailer') continue;
    out.push(raw[i], raw[i + 1]);
  }
  const client = req.socket.remoteAddress;
  if (client) out.push('X-Forwarded-For', client);
  out.push('X-Forwarded-Proto', 'http');
  return out;
}

function responseHeaders(raw: string[]): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (isHopByHop(name, true) || (listed && listed.has(name.toLowerCase()))) continue;
    out.push(name, raw[i + 1]);
  }
  return out;
}

/** A response head written straight to a socket (upgrades and answers to them). */
function rawHead(status: number, message: string, raw: string[], close: boolean): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (close && (lower === 'connection' || lower === 'transfer-encoding' || lower === 'keep-alive')) continue;
    head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  if (close) head += 'Connection: close\r\n';
  return `${head}\r\n`;
}

function rawError(socket: net.Socket, status: number, text: string): void {
  if (socket.destroyed) return;
  const body = `hotreload proxy: ${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function noBackend(res: http.ServerResponse): void {
  if (res.destroyed || res.headersSent) return;
  const body = 'hotreload proxy: no version of the program is serving (it is starting, or the last one crashed)\n';
  res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Retry-After': '1' });
  res.end(body);
}

function badGateway(res: http.ServerResponse, backend: Backend, err: NodeJS.ErrnoException): void {
  if (res.destroyed || res.headersSent) return;
  const body = `hotreload proxy: ${backend.label} did not answer (${err.code ?? err.message})\n`;
  res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
