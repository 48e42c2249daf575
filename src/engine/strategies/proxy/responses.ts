import * as http from 'node:http';
import type * as net from 'node:net';

/** A response head written straight to a socket (upgrades and answers to them). */
export function rawHead(status: number, message: string, raw: string[], close: boolean): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (close && (lower === 'connection' || lower === 'transfer-encoding' || lower === 'keep-alive')) continue;
    head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  if (close) head += 'Connection: close\r\n';
  return `${head}\r\n`;
}

export function rawError(socket: net.Socket, status: number, text: string): void {
  if (socket.destroyed) return;
  const body = `hotreload proxy: ${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** No version came within the wait: 503, the program is not there (502 would blame its answer). */
export function noBackend(res: http.ServerResponse): void {
  if (res.destroyed || res.headersSent) return;
  const body = 'hotreload proxy: no version of the program is serving (it is starting, or the last one crashed)\n';
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Retry-After': '1' });
  res.end(body);
}

export function badGateway(res: http.ServerResponse, backend: { label: string }, err: NodeJS.ErrnoException): void {
  if (res.destroyed || res.headersSent) return;
  const body = `hotreload proxy: ${backend.label} did not answer (${err.code ?? err.message})\n`;
  res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * No version serves and none is on its way: a 503 at once, saying why, as a page for a browser and
 * as text for anything else (curl, a test client). Retry-After, since the next good build serves.
 */
export function unavailable(req: http.IncomingMessage, res: http.ServerResponse, reason: string): void {
  if (res.destroyed || res.headersSent) return;
  const html = /\btext\/html\b/.test(req.headers.accept ?? '');
  const body = html
    ? `<!doctype html><html><head><meta charset="utf-8"><title>Hot Reload: the program is not serving</title></head><body><h1>503: the program is not serving</h1><p>${escapeHtml(reason)}</p><p>Hot Reload's proxy answers here; this page goes away once a version starts (save a change, or run Hot Reload: Restart).</p></body></html>\n`
    : `hotreload proxy: the program is not serving: ${reason}\n`;
  res.writeHead(503, {
    'Content-Type': `${html ? 'text/html' : 'text/plain'}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
    'Retry-After': '1',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
