import type * as http from 'node:http';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the message, so the
 * proxy drops them both ways. Transfer-Encoding is kept on requests (Node then frames the body the
 * same way) and dropped on responses (Node frames the body for its own client).
 */
function isHopByHop(name: string, response: boolean): boolean {
  // Checked by length first: most headers are not hop-by-hop, and this avoids lower-casing them.
  switch (name.length) {
    case 2:
      return name.toLowerCase() === 'te';
    case 7: {
      const n = name.toLowerCase();
      return n === 'upgrade' || n === 'trailer';
    }
    case 10: {
      const n = name.toLowerCase();
      return n === 'connection' || n === 'keep-alive';
    }
    case 16:
      return name.toLowerCase() === 'proxy-connection';
    case 17:
      return response && name.toLowerCase() === 'transfer-encoding';
    default:
      return false;
  }
}

/** Extra headers a Connection header lists (rare): they are hop-by-hop too. */
function connectionListed(raw: string[]): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length !== 10 || raw[i].toLowerCase() !== 'connection') continue;
    for (const token of raw[i + 1].split(',')) {
      const t = token.trim().toLowerCase();
      if (t && t !== 'keep-alive' && t !== 'close' && t !== 'upgrade') (listed ??= new Set()).add(t);
    }
  }
  return listed;
}

export function requestHeaders(req: http.IncomingMessage): string[] {
  const raw = req.rawHeaders;
  const listed = connectionListed(raw);
  const out: string[] = [];
  let forwardedFor: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (isHopByHop(name, false) || (listed && listed.has(name.toLowerCase()))) continue;
    if (name.length === 15 && name.toLowerCase() === 'x-forwarded-for') {
      forwardedFor = forwardedFor ? `${forwardedFor}, ${raw[i + 1]}` : raw[i + 1];
      continue;
    }
    out.push(name, raw[i + 1]);
  }
  const client = req.socket.remoteAddress;
  if (client) out.push('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${client}` : client);
  else if (forwardedFor) out.push('X-Forwarded-For', forwardedFor);
  out.push('X-Forwarded-Proto', 'http');
  return out;
}

export function upgradeRequestHeaders(req: http.IncomingMessage): string[] {
  // Connection: Upgrade and Upgrade are what this request is about: keep them.
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (lower === 'keep-alive' || lower === 'proxy-connection' || lower === 'te' || lower === 'trailer') continue;
    out.push(raw[i], raw[i + 1]);
  }
  const client = req.socket.remoteAddress;
  if (client) out.push('X-Forwarded-For', client);
  out.push('X-Forwarded-Proto', 'http');
  return out;
}

export function responseHeaders(raw: string[]): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (isHopByHop(name, true) || (listed && listed.has(name.toLowerCase()))) continue;
    out.push(name, raw[i + 1]);
  }
  return out;
}
