import * as http from 'node:http';
import * as net from 'node:net';
import type { Settings } from '../config/settings';
import { DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_READY_TIMEOUT_MS } from '../config/defaults';
import type { ProgramExit, ProgramProcess } from './program';

export function readyTimeoutMs(settings: Pick<Settings, 'readyTimeoutMs'>): number {
  return settings.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
}

export function drainTimeoutMs(settings: Pick<Settings, 'drainTimeoutMs'>): number {
  return settings.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
}

export type Readiness = { kind: 'ready'; ms: number } | { kind: 'exited'; exit: ProgramExit } | { kind: 'timeout' };

/**
 * Waits until `ready` settles, the program exits, or `timeoutMs` passes, whichever comes first.
 * `stop` is called once it is decided, so a poller behind `ready` can end.
 */
export async function waitUntilReady(program: ProgramProcess, ready: Promise<unknown>, timeoutMs: number, stop?: () => void): Promise<Readiness> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race<Readiness>([
      ready.then(() => ({ kind: 'ready', ms: Date.now() - started })),
      program.exited.then((exit) => ({ kind: 'exited', exit })),
      new Promise<Readiness>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
    stop?.();
  }
}

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

/**
 * Waits (at most `capMs`) until the program's stdout and stderr have ended, so the output tail of a
 * program that just died includes its last words (a panic's stack is written just before exit, and
 * 'exit' may come before the pipes drain).
 */
export async function outputSettled(program: ProgramProcess, capMs = 500): Promise<void> {
  const streams = [program.child.stdout, program.child.stderr].filter((s) => s && !s.readableEnded && !s.destroyed);
  if (streams.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(streams.map((s) => new Promise<void>((resolve) => (s!.once('end', resolve), s!.once('close', resolve))))),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, capMs))),
  ]);
  clearTimeout(timer);
}

export function describeExit(exit: ProgramExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
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
