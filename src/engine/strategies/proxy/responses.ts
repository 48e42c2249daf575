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

export function noBackend(res: http.ServerResponse): void {
  if (res.destroyed || res.headersSent) return;
  const body = 'hotreload proxy: no version of the program is serving (it is starting, or the last one crashed)\n';
  res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Retry-After': '1' });
  res.end(body);
}

export function badGateway(res: http.ServerResponse, backend: { label: string }, err: NodeJS.ErrnoException): void {
  if (res.destroyed || res.headersSent) return;
  const body = `hotreload proxy: ${backend.label} did not answer (${err.code ?? err.message})\n`;
  res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
