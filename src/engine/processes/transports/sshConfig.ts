import * as fs from 'node:fs';
import type { Place } from './place';

/** The concrete `Host` names of an SSH config (patterns such as `*` or `!x` are not hosts). */
export function sshHosts(configFile: string): Place<'ssh'>[] {
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch {
    return [];
  }
  const hosts = new Map<string, string>();
  let current: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [keyword, ...rest] = line.split(/\s+|=/).filter(Boolean);
    const key = keyword.toLowerCase();
    if (key === 'host') {
      current = rest.filter((h) => !/[*?!]/.test(h));
      for (const h of current) if (!hosts.has(h)) hosts.set(h, 'from ~/.ssh/config');
    } else if (key === 'match') {
      current = [];
    } else if (key === 'hostname' && rest[0]) {
      for (const h of current) hosts.set(h, `${rest[0]} · from ~/.ssh/config`);
    }
  }
  return [...hosts].map(([label, detail]) => ({ kind: 'ssh' as const, label, detail }));
}
