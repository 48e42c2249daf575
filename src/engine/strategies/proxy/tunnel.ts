import * as http from 'node:http';
import type * as net from 'node:net';
import { upgradeRequestHeaders } from './headers';
import { rawError, rawHead } from './responses';
import { holdInflight, MAX_ATTEMPTS, type Backend } from './backend';

/** What a tunnel needs from the proxy: its open tunnels, in-flight accounting, and waiting for a backend. */
export interface TunnelContext {
  tunnels: Set<net.Socket>;
  release(backend: Backend): void;
  hold(exclude: Backend | undefined, then: (backend: Backend | undefined) => void, abandoned: () => boolean): void;
}

/**
 * An Upgrade request (websocket) becomes a raw tunnel to the backend, counted as in flight until
 * either side closes; a backend that refuses it (it just died) is retried on the next one.
 */
/** The client's side of an Upgrade: its request, its socket, and the bytes read past the request's head. */
export interface UpgradeRequest {
  req: http.IncomingMessage;
  socket: net.Socket;
  head: Buffer;
}

export function openTunnel(ctx: TunnelContext, upgrade: UpgradeRequest, to: { backend: Backend; attempt: number }): void {
  const { req, socket } = upgrade;
  const { backend, attempt } = to;
  const release = holdInflight(backend, (b) => ctx.release(b));
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
  upstream.on('upgrade', (upRes: http.IncomingMessage, upSocket: net.Socket, upHead: Buffer) => {
    answered = true;
    joinSockets(ctx, upgrade, { upRes, upSocket, upHead, release });
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
      ctx.hold(
        backend,
        (b) => (b ? openTunnel(ctx, upgrade, { backend: b, attempt: attempt + 1 }) : rawError(socket, 502, 'no version of the program is serving')),
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

/** The backend switched protocols: its answer goes to the client, then bytes flow both ways until either side closes. */
function joinSockets(
  ctx: TunnelContext,
  upgrade: UpgradeRequest,
  up: { upRes: http.IncomingMessage; upSocket: net.Socket; upHead: Buffer; release: () => void },
): void {
  const { socket, head } = upgrade;
  const { upRes, upSocket, upHead, release } = up;
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
  ctx.tunnels.add(socket);
  const end = () => {
    ctx.tunnels.delete(socket);
    upSocket.destroy();
    socket.destroy();
    release();
  };
  upSocket.on('error', end);
  upSocket.on('close', end);
  socket.on('close', end);
  upSocket.pipe(socket);
  socket.pipe(upSocket);
}
