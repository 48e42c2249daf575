import * as http from 'node:http';
import * as net from 'node:net';
import type { ListenAddress } from '../settings/listenAddress';

/** One TCP connect to host:port: true when it is accepted (then closed at once). */
export function probeTcp(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host, noDelay: true });
    const done = (ok: boolean) => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** One GET of `path`: true for a 2xx or 3xx answer. */
export function probeHttp(port: number, path: string, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, agent: false, timeout: timeoutMs, headers: { 'user-agent': 'hotreload-readiness' } }, (res) => {
      res.resume();
      const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400;
      res.on('end', () => resolve(ok));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

/**
 * Calls `probe` until it says true or `cancelled()` does. Every 5 ms for the first second (a Go
 * program is usually up within tens of ms, and a reload's latency is measured to the first new
 * response), then every 25 ms: a refused local connect costs microseconds.
 */
export async function pollUntil(probe: () => Promise<boolean>, cancelled: () => boolean): Promise<boolean> {
  const started = Date.now();
  while (!cancelled()) {
    if (await probe()) return true;
    if (cancelled()) break;
    await new Promise((r) => setTimeout(r, Date.now() - started < 1000 ? 5 : 25));
  }
  return false;
}

/** A free loopback port for a new version of the program (the proxy strategy). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Where to knock to find a version listening: its address on this machine (every interface: loopback). */
export function probeAddress(address: ListenAddress | undefined): ListenAddress | undefined {
  if (!address || address.port === 0) return undefined;
  const host = address.host === '' || address.host === '0.0.0.0' || address.host === 'localhost' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return { host, port: address.port };
}
