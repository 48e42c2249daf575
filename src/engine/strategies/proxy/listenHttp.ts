import type * as http from 'node:http';
import * as net from 'node:net';
import { LOOPBACK, type ListenAddress } from '../../settings/listenAddress';

/** Where a server listens: the address (the real port when 0 was asked for), each host bound, and the second loopback listener if any. */
export interface Listening {
  address: ListenAddress;
  /** "127.0.0.1" and "::1" for loopback, "" for every interface, else the named host. */
  hosts: string[];
  /** The ::1 listener beside 127.0.0.1, closed with the server. */
  extra?: net.Server;
}

/** How often a free port is looked for again when ::1 has the one 127.0.0.1 got taken (port 0 only). */
const PORT_TRIES = 5;

/**
 * Listens an HTTP server the engine opens for the program (the proxy, browser reload's proxy):
 * on the named host, on every interface for "", or for LOOPBACK on both loopbacks on one port:
 * 127.0.0.1, and ::1 beside it where this machine has IPv6 (a second listener whose connections
 * the server takes as its own), so http://localhost:<port>/ answers whichever a client tries first.
 */
export async function listenHttp(server: http.Server, address: ListenAddress): Promise<Listening> {
  if (address.host !== LOOPBACK) {
    const port = await listen(server, address.host === '' ? { port: address.port } : { port: address.port, host: address.host });
    return { address: { host: address.host, port }, hosts: [address.host] };
  }
  for (let attempt = 1; ; attempt++) {
    const port = await listen(server, { port: address.port, host: '127.0.0.1' });
    const extra = net.createServer((socket) => server.emit('connection', socket));
    try {
      await listen(extra, { port, host: '::1', ipv6Only: true });
      return { address: { host: LOOPBACK, port }, hosts: ['127.0.0.1', '::1'], extra };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // No IPv6 here: IPv4 loopback alone. A port the kernel picked that ::1 has taken: another one.
      if (code !== 'EADDRINUSE' || address.port !== 0 || attempt >= PORT_TRIES) return { address: { host: LOOPBACK, port }, hosts: ['127.0.0.1'] };
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

function listen(server: net.Server, options: net.ListenOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** "127.0.0.1:8080 and [::1]:8080", ":8080" for every interface: where it listens, for the log. */
export function describeListening(listening: Listening): string {
  return listening.hosts
    .map((host) => (host === '' ? `every interface on :${listening.address.port}` : `${host.includes(':') ? `[${host}]` : host}:${listening.address.port}`))
    .join(' and ');
}
