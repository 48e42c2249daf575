/**
 * For the browser proxy tests: a program that answers each kind of response a page can be (plain,
 * gzip, brotli, streamed, with a CSP, a fragment, JSON, an upload's answer, a websocket), and the
 * engine's proxy in front of it with browser reload on or off.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import { PageHub } from '../../src/engine/browser/hub';
import { BrowserPages } from '../../src/engine/browser/pages';
import { Stylesheets } from '../../src/engine/browser/stylesheets';
import { ReverseProxy } from '../../src/engine/strategies/proxy/reverseProxy';

export const PAGE =
  '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8"><title>Test</title>\n</head>\n<body><p>Grüße</p><script>var s = "</body>";</script></body>\n</html>\n';
export const BROWSER = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'gzip, br' };
export const TAG = /<script src="\.\/__hotreload\/client\.js" data-hotreload="[0-9a-f]{8}\.0" async( nonce="[^"]+")?><\/script>/;

/** The page with the script where it belongs: right after <head>. */
export function expectInjected(body: string, page = PAGE): string {
  const match = TAG.exec(body);
  assert.ok(match, `no script tag in ${JSON.stringify(body.slice(0, 200))}`);
  assert.equal(body.replace(match[0], ''), page, 'everything else is as the program sent it');
  assert.equal(body.indexOf(match[0]), page.indexOf('<head>') + '<head>'.length, 'right after <head>');
  assert.equal(body.match(new RegExp(TAG.source, 'g'))?.length, 1, 'exactly once');
  return match[0];
}

export interface Backend {
  port: number;
  /** Resolves when a /stream response's connection closed before it finished. */
  streamAbandoned: Promise<void>;
  /** Lets /stream finish. */
  finishStream(): void;
  close(): Promise<void>;
}

export async function backend(): Promise<Backend> {
  let finish: () => void = () => undefined;
  const streamDone = new Promise<void>((resolve) => (finish = resolve));
  let abandoned: () => void = () => undefined;
  const streamAbandoned = new Promise<void>((resolve) => (abandoned = resolve));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const html = { 'Content-Type': 'text/html; charset=utf-8' };
    switch (url.pathname) {
      case '/plain':
        res.writeHead(200, { ...html, 'Content-Length': Buffer.byteLength(PAGE), ETag: '"v1"' }).end(PAGE);
        break;
      case '/gzip': {
        const body = zlib.gzipSync(PAGE);
        res.writeHead(200, { ...html, 'Content-Encoding': 'gzip', 'Content-Length': body.length, ETag: '"v1"', Vary: 'Accept-Encoding' }).end(body);
        break;
      }
      case '/br': {
        const body = zlib.brotliCompressSync(PAGE);
        res.writeHead(200, { ...html, 'Content-Encoding': 'br', 'Content-Length': body.length }).end(body);
        break;
      }
      case '/stream':
      case '/stream-gzip': {
        // The head goes out at once; the rest only once the test has seen it through the proxy.
        const gzip = url.pathname === '/stream-gzip';
        res.writeHead(200, { ...html, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
        res.on('close', () => !res.writableFinished && abandoned());
        const out = gzip ? zlib.createGzip() : undefined;
        out?.pipe(res);
        const write = (text: string) => (out ? (out.write(text), out.flush()) : res.write(text));
        write(PAGE.slice(0, PAGE.indexOf('<body>')));
        void streamDone.then(() => (out ? out.end(PAGE.slice(PAGE.indexOf('<body>'))) : res.end(PAGE.slice(PAGE.indexOf('<body>')))));
        break;
      }
      case '/csp':
        res.writeHead(200, { ...html, 'Content-Security-Policy': "default-src 'self'; script-src 'self' 'nonce-r4nd0m+/='; object-src 'none'" }).end(PAGE);
        break;
      case '/fragment':
        res.writeHead(200, html).end('<div id="row"><head>not a page</head></div>');
        break;
      case '/json':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"html":"<head>"}');
        break;
      case '/upload': {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          const page = PAGE.replace(
            '<p>Grüße</p>',
            `<p id="got">${url.search} ${req.headers['content-type']} ${body.length} ${createHash('sha256').update(body).digest('hex')}</p>`,
          );
          res.writeHead(200, html).end(page);
        });
        break;
      }
      default:
        res.writeHead(404).end();
    }
  });
  const upgraded = new Set<net.Socket>();
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    upgraded.add(socket);
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.write(Buffer.from([0x81, 5, ...Buffer.from('hello')]));
    // Echo the client's first (masked) text frame back unmasked.
    socket.once('data', (frame: Buffer) => {
      const len = frame[1] & 0x7f;
      const mask = frame.subarray(2, 6);
      const payload = Buffer.from(frame.subarray(6, 6 + len).map((b, i) => b ^ mask[i % 4]));
      socket.write(Buffer.concat([Buffer.from([0x81, len]), payload]));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    streamAbandoned,
    finishStream: finish,
    close: () => {
      // Upgraded sockets are no longer the HTTP server's to close.
      for (const socket of upgraded) socket.destroy();
      return new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  /** Decoded as the browser would. */
  text: string;
}

export function request(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const coding = res.headers['content-encoding'];
        const decoded = coding === 'gzip' ? zlib.gunzipSync(raw) : coding === 'br' ? zlib.brotliDecompressSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text: decoded.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function withProxy(fn: (port: number, b: Backend, hub: PageHub) => Promise<void>, browserReload = true): Promise<void> {
  const b = await backend();
  const hub = new PageHub();
  const proxy = new ReverseProxy({ waitTimeoutMs: 2000, pages: browserReload ? new BrowserPages(hub, new Stylesheets()) : undefined });
  const { port } = await proxy.listen({ host: '127.0.0.1', port: 0 });
  proxy.setActive(proxy.createBackend(b.port, 'v1'));
  try {
    await fn(port, b, hub);
  } finally {
    b.finishStream();
    hub.dispose();
    await proxy.close();
    await b.close();
  }
}
