import * as fs from 'node:fs';
import type { Socket } from 'node:net';

/**
 * Whether a loopback connection comes from a process of the user the engine runs as (as Delve's
 * --only-same-user does): the kernel's socket table (/proc/net/tcp, tcp6) names the owner of the
 * client's end. A debugger connection runs code as this user, so another user's is refused.
 * Connections the table cannot vouch for (no /proc, another host) are the address's business.
 */
export function fromAnotherUser(socket: Socket): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || socket.remotePort === undefined || socket.localPort === undefined) return false;
  const clientEnd = `:${hexPort(socket.remotePort)}`;
  const ourEnd = `:${hexPort(socket.localPort)}`;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 8) continue;
      const [, local, remote, , , , , owner] = fields;
      if (local.endsWith(clientEnd) && remote.endsWith(ourEnd) && isLoopback(local)) return Number(owner) !== uid;
    }
  }
  return false;
}

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/** 127.0.0.0/8 (stored little-endian: "..7F"), ::1, or ::ffff:127.x in the kernel's hex. */
function isLoopback(address: string): boolean {
  const host = address.slice(0, address.indexOf(':'));
  if (host.length === 8) return host.endsWith('7F');
  return host === '00000000000000000000000001000000' || (host.startsWith('0000000000000000FFFF0000') && host.endsWith('7F'));
}
