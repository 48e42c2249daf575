import * as dns from 'node:dns';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as util from 'node:util';
import { spawnInGroup, killGroup } from '../../processes/processGroup';
import type { ListenAddress } from '../publicAddress';

/** The parts of libuv's TCP handle (Node's internal `tcp_wrap` binding) used here. */
interface TcpHandle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  getsockname(out: { address?: string; port?: number; family?: string }): number;
  close(callback?: () => void): void;
  readonly fd: number;
}

interface TcpWrapBinding {
  TCP: new (type: number) => TcpHandle;
  constants: { SERVER: number };
}

/**
 * The listening socket of the handoff strategy: created once for the session's life and passed to
 * every version of the program as fd 3 (systemd socket activation), so the old and the new version
 * share it and no connection is refused during a reload.
 *
 * The engine must never accept on it: a connection it accepted would be served by nobody. Node's
 * net.Server accepts as soon as it listens (libuv polls the socket from the next loop turn), so:
 *
 * 1. The engine creates a TCP handle and binds it, but never calls listen on it (libuv only polls a
 *    handle once it listens). That needs the `tcp_wrap` binding (`process.binding`, deprecated in the
 *    documentation only, DEP0111: no warning unless node runs with --pending-deprecation).
 * 2. A one-shot helper (node itself, `process.execPath`) inherits the socket as its fd 3, calls
 *    listen(2) on it through net.Server and exits in the same synchronous step, before its event loop
 *    ever polls, so it never accepts either. From then on the socket listens for the engine's whole
 *    life (the engine holds it), and connections wait in the kernel's backlog whenever no program
 *    accepts: between versions, or before the first one.
 *
 * So any reader of the systemd protocol works, even one that expects a listening socket. Should the
 * helper fail, the socket stays bound but not listening: hotreload.dev/go/hotreload makes an
 * inherited socket listen itself (other readers may not), and until a program does, connections
 * are refused rather than queued.
 */
export class ListenSocket {
  private closed = false;

  private constructor(
    private readonly handle: TcpHandle,
    /** The address actually bound (the port is the real one when 0 was asked for). */
    readonly address: ListenAddress,
    /** Whether the socket is in the listening state (false only when the helper failed). */
    readonly listening: boolean,
    /** Why it is not listening, when it is not. */
    readonly listenProblem: string | undefined,
  ) {}

  /** The engine's descriptor for the socket, to pass as a child's fd 3. */
  get fd(): number {
    return this.handle.fd;
  }

  /** Binds the address and makes the socket listen without the engine accepting on it. */
  static async open(address: ListenAddress, options: { backlog?: number; helperTimeoutMs?: number } = {}): Promise<ListenSocket> {
    const binding = tcpWrap();
    const host = await resolveHost(address.host);
    const handle = new binding.TCP(binding.constants.SERVER);
    let err: number;
    if (host === '') {
      // Every interface: IPv6 and IPv4 in one socket, falling back to IPv4 where IPv6 is off.
      err = handle.bind6('::', address.port, 0);
      if (err === 0) err = sockname(handle).err;
      if (err !== 0 && errName(err) !== 'EADDRINUSE') {
        handle.close();
        const v4 = new binding.TCP(binding.constants.SERVER);
        return ListenSocket.finish(v4, v4.bind('0.0.0.0', address.port), address, options);
      }
    } else if (net.isIPv6(host)) {
      err = handle.bind6(host, address.port, 0);
    } else {
      err = handle.bind(host, address.port);
    }
    return ListenSocket.finish(handle, err, address, options);
  }

  private static async finish(
    handle: TcpHandle,
    bindErr: number,
    asked: ListenAddress,
    options: { backlog?: number; helperTimeoutMs?: number },
  ): Promise<ListenSocket> {
    // libuv defers EADDRINUSE from bind to listen; getsockname reports it at once.
    const name = bindErr === 0 ? sockname(handle) : { err: bindErr, address: undefined, port: undefined };
    if (name.err !== 0 || name.port === undefined || (asked.port !== 0 && name.port !== asked.port)) {
      handle.close();
      const code = name.err !== 0 ? errName(name.err) : 'not bound';
      const where = `${asked.host || '*'}:${asked.port}`;
      const hint = code === 'EADDRINUSE' ? ': another process listens there; stop it, or set listenAddress (or PORT) to a free port' : '';
      throw new Error(`cannot bind ${where} for the handoff socket (${code})${hint}`);
    }
    const bound: ListenAddress = { host: asked.host, port: name.port };
    const problem = await listenInHelper(handle.fd, options.backlog ?? listenBacklog(), options.helperTimeoutMs ?? 10000);
    return new ListenSocket(handle, bound, problem === undefined, problem);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handle.close();
  }
}

function tcpWrap(): TcpWrapBinding {
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  if (typeof binding !== 'function')
    throw new Error('this Node.js has no process.binding: the handoff strategy cannot create its socket; use the proxy strategy');
  try {
    return binding.call(process, 'tcp_wrap') as TcpWrapBinding;
  } catch (err) {
    throw new Error(`the handoff strategy cannot create its socket (process.binding('tcp_wrap'): ${(err as Error).message}); use the proxy strategy`, {
      cause: err,
    });
  }
}

function sockname(handle: TcpHandle): { err: number; address?: string; port?: number } {
  const out: { address?: string; port?: number } = {};
  const err = handle.getsockname(out);
  return { err, address: out.address, port: out.port };
}

function errName(err: number): string {
  try {
    return util.getSystemErrorName(err);
  } catch {
    return `error ${err}`;
  }
}

async function resolveHost(host: string): Promise<string> {
  if (host === '' || net.isIP(host)) return host;
  const { address } = await dns.promises.lookup(host);
  return address;
}

/** The backlog Go would use: the kernel's somaxconn. */
export function listenBacklog(): number {
  try {
    const n = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    if (Number.isInteger(n) && n > 0) return Math.min(n, 65535);
  } catch {
    /* not Linux */
  }
  return 511;
}

/**
 * The helper's whole program. listen() happens synchronously inside server.listen; `listening` is
 * then true and the process exits before its event loop has run once, so it never accepts.
 */
const HELPER_SCRIPT = [
  'const s = require("net").createServer();',
  's.on("error", (e) => { process.stderr.write(e.message); process.exit(2); });',
  's.listen({ fd: 3, backlog: Number(process.argv[1]) });',
  'if (s.listening) process.exit(0);',
].join('\n');

/** Makes `fd` listen in a one-shot child; resolves with why it could not, or undefined. */
async function listenInHelper(fd: number, backlog: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const finish = (problem: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(problem);
    };
    // A clean environment: the user's NODE_OPTIONS (--require, --inspect) must not run in the helper.
    // ELECTRON_RUN_AS_NODE makes VS Code's executable behave as node.
    const child = spawnInGroup(process.execPath, ['-e', HELPER_SCRIPT, String(backlog)], {
      stdio: ['ignore', 'ignore', 'pipe', fd],
      env: { ELECTRON_RUN_AS_NODE: '1', PATH: process.env.PATH ?? '' },
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) void killGroup(child.pid);
      finish(`the listen helper did not finish within ${timeoutMs} ms`);
    }, timeoutMs);
    child.once('error', (err) => finish(`the listen helper could not start (${err.message})`));
    child.once('close', (code, signal) => {
      if (code === 0) finish(undefined);
      else finish(`the listen helper failed (${signal ?? `status ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    });
  });
}
