import * as fs from 'node:fs';
import { groupMembers, hasProc } from './processTree';

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
      if (fields.length < 10 || fields[3] !== '0A' || !inodes.has(fields[9])) continue;
      ports.add(parseInt(fields[1].slice(fields[1].lastIndexOf(':') + 1), 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
