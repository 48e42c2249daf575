import * as fs from 'node:fs';
import { groupMembers, hasProc } from './processTree';
import { portOf, tcpSockets } from './tcpTable';

/**
 * The TCP ports a program (the processes of its group) listens on, from the kernel's socket tables:
 * how a version that never served on the port it was given is found to serve on another one. Empty
 * where /proc cannot tell (not Linux, another user's process).
 */
export function listeningPorts(leader: number): number[] {
  if (!hasProc()) return [];
  const inodes = new Set<string>();
  for (const pid of new Set([leader, ...groupMembers(leader)])) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const ports = new Set<number>();
  for (const socket of tcpSockets()) if (socket.state === '0A' && inodes.has(socket.inode)) ports.add(portOf(socket.local));
  return [...ports].sort((a, b) => a - b);
}
