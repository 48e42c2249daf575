import type { Socket } from 'node:net';
import { portOf, tcpSockets } from '../processes/tcpTable';

/**
 * Whether a loopback connection comes from a process of the user the engine runs as (as Delve's
 * --only-same-user does): the kernel's socket table (/proc/net/tcp, tcp6) names the owner of the
 * client's end. A debugger connection runs code as this user, so another user's is refused.
 * Connections the table cannot vouch for (no /proc, another host) are the address's business.
 */
export function fromAnotherUser(socket: Socket): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || socket.remotePort === undefined || socket.localPort === undefined) return false;
  const client = tcpSockets().find((s) => portOf(s.local) === socket.remotePort && portOf(s.remote) === socket.localPort && isLoopback(s.local));
  return client !== undefined && client.uid !== uid;
}

/** 127.0.0.0/8 (stored little-endian: "..7F"), ::1, or ::ffff:127.x in the kernel's hex. */
function isLoopback(address: string): boolean {
  const host = address.slice(0, address.indexOf(':'));
  if (host.length === 8) return host.endsWith('7F');
  return host === '00000000000000000000000001000000' || (host.startsWith('0000000000000000FFFF0000') && host.endsWith('7F'));
}
