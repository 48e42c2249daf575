import type * as http from 'node:http';
import type * as net from 'node:net';
import { versionContext } from './versions';

type Listener = (...args: unknown[]) => void;

/** The handlers of one version of the program, taken from the server it made. */
export interface Handlers {
  version: number;
  request: Listener[];
  upgrade: Listener[];
}

/** What a swap compares: a server made with other options cannot take the live one's place. */
const COMPARED_OPTIONS = ['keepAliveTimeout', 'headersTimeout', 'requestTimeout', 'timeout', 'maxHeadersCount', 'maxRequestsPerSocket'] as const;

/**
 * The server that listens on the public port for the process's whole life. Its request and
 * upgrade events go through one dispatcher to the current version's handlers, so a patch swaps
 * the handlers and keeps the socket, the connections and the requests in flight.
 */
export class LiveServer {
  private current: Handlers;
  private readonly inFlight = new Set<http.ServerResponse>();
  private draining = false;

  constructor(
    readonly server: net.Server,
    version: number,
  ) {
    this.current = takeHandlers(server, version);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.dispatch(req, res));
    this.routeUpgrades();
  }

  get version(): number {
    return this.current.version;
  }

  /** Why `candidate` (the server a new version made) cannot replace this one's handlers, if it cannot. */
  incompatibility(candidate: net.Server): string | undefined {
    if (candidate.constructor !== this.server.constructor) return `the server is now a ${candidate.constructor.name}, not a ${this.server.constructor.name}`;
    const live = this.server as unknown as Record<string, unknown>;
    const next = candidate as unknown as Record<string, unknown>;
    for (const option of COMPARED_OPTIONS) {
      if (live[option] !== next[option]) return `the server's ${option} changed (${String(live[option])} → ${String(next[option])})`;
    }
    if (!isHttpServer(this.server)) return 'the server on the public port is not an HTTP server, so its handlers cannot be swapped';
    return undefined;
  }

  /** From now on, requests go to `candidate`'s handlers. */
  swap(candidate: net.Server, version: number): void {
    this.current = takeHandlers(candidate, version);
    this.routeUpgrades();
  }

  /**
   * Stops accepting and ends every connection once its request is answered: idle keep-alive
   * connections at once, busy ones after their response (which says `Connection: close`). Resolves
   * when every connection is gone, or at `deadlineMs`, when what is left is closed.
   */
  drain(deadlineMs: number): Promise<void> {
    this.draining = true;
    const server = this.server;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (isHttpServer(server)) server.closeAllConnections();
        resolve();
      }, deadlineMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      if (isHttpServer(server)) server.closeIdleConnections();
      for (const res of this.inFlight) this.closeAfter(res);
    });
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
    if (this.draining) this.closeAfter(res);
    const { request, version } = this.current;
    versionContext.run({ version, phase: 'request' }, () => {
      for (const listener of request) listener.call(this.server, req, res);
    });
  }

  /** The response's connection ends once it is sent (`Connection: close` when the headers are not out yet). */
  private closeAfter(res: http.ServerResponse): void {
    if (!res.headersSent) res.shouldKeepAlive = false;
    else res.once('finish', () => res.socket?.end());
  }

  /** Node only takes upgrades while the server has an upgrade listener: one, when the version has any. */
  private readonly upgrade = (...args: unknown[]): void => {
    const { upgrade, version } = this.current;
    versionContext.run({ version, phase: 'request' }, () => {
      for (const listener of upgrade) listener.apply(this.server, args);
    });
  };

  private routeUpgrades(): void {
    const routed = this.server.listeners('upgrade').includes(this.upgrade);
    if (this.current.upgrade.length > 0 && !routed) this.server.on('upgrade', this.upgrade);
    if (this.current.upgrade.length === 0 && routed) this.server.off('upgrade', this.upgrade);
  }
}

/** http.Server and https.Server (which is a tls.Server) both have closeIdleConnections. */
function isHttpServer(server: net.Server): server is http.Server {
  return typeof (server as Partial<http.Server>).closeIdleConnections === 'function';
}

/** The request and upgrade listeners a version put on its server, taken off it. */
function takeHandlers(server: net.Server, version: number): Handlers {
  const handlers: Handlers = { version, request: server.listeners('request') as Listener[], upgrade: server.listeners('upgrade') as Listener[] };
  server.removeAllListeners('request');
  server.removeAllListeners('upgrade');
  return handlers;
}
