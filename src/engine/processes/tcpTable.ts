import * as fs from 'node:fs';

/** One row of the kernel's TCP socket tables, addresses as the kernel writes them ("0100007F:1F90"). */
export interface TcpSocket {
  local: string;
  remote: string;
  /** "0A" is listening. */
  state: string;
  uid: number;
  inode: string;
}

/** The rows of /proc/net/tcp and tcp6; none where there is no /proc. */
export function tcpSockets(): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      sockets.push({ local: fields[1], remote: fields[2], state: fields[3], uid: Number(fields[7]), inode: fields[9] });
    }
  }
  return sockets;
}

/** The port of a kernel-written address. */
export function portOf(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}
