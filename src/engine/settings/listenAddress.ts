import * as net from 'node:net';

/** Where the engine takes connections for the program (handoff socket, proxy server). */
export interface ListenAddress {
  /**
   * A host name or IP literal (IPv6 without brackets). As parsed, "" is no host named (":8080"),
   * which the strategies turn into their default (LOOPBACK on this machine); as bound, "" is every
   * interface, IPv4 and IPv6.
   */
  host: string;
  /** 0 lets the system pick a free port. */
  port: number;
}

/**
 * The engine's sockets for the program listen on loopback unless the user names a host (as Vite
 * does), so a dev build and its debug pages are not on the network: 127.0.0.1 and ::1.
 */
export const LOOPBACK = 'localhost';

/**
 * Parses "8080", ":8080", "127.0.0.1:8080", "localhost:8080", "[::1]:8080" or "0.0.0.0:0".
 * Returns a sentence saying what is wrong instead when the text is not an address.
 */
export function parseListenAddress(text: string): ListenAddress | string {
  const t = text.trim();
  if (/^\d+$/.test(t)) return checkPort('', t, text);
  let host: string;
  let port: string;
  const bracket = /^\[([^\]]*)\]:(\d+)$/.exec(t);
  if (bracket) {
    host = bracket[1];
    port = bracket[2];
    if (net.isIPv6(host) === false) return `listenAddress ${JSON.stringify(text)}: ${host} in brackets is not an IPv6 address`;
  } else {
    const colon = t.lastIndexOf(':');
    if (colon < 0) return `listenAddress ${JSON.stringify(text)} has no port: write it as ":8080" or "127.0.0.1:8080"`;
    host = t.slice(0, colon);
    port = t.slice(colon + 1);
    if (host.includes(':')) return `listenAddress ${JSON.stringify(text)}: put an IPv6 address in brackets, e.g. "[::1]:8080"`;
  }
  if (!/^\d+$/.test(port)) return `listenAddress ${JSON.stringify(text)}: the port "${port}" is not a number`;
  if (host !== '' && !net.isIP(host) && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host))
    return `listenAddress ${JSON.stringify(text)}: "${host}" is neither an IP address nor a host name`;
  return checkPort(host, port, text);
}

function checkPort(host: string, port: string, text: string): ListenAddress | string {
  const n = Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) return `listenAddress ${JSON.stringify(text)}: the port must be from 0 to 65535`;
  return { host, port: n };
}

/** "[::1]:8080", ":8080", "127.0.0.1:8080". */
export function formatAddress(address: ListenAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
