import type * as http from 'node:http';
import { CLIENT_PATH, CLIENT_SCRIPT, ENDPOINT_PREFIX, EVENTS_PATH } from './clientScript';
import { scriptNonce } from './csp';
import { htmlResponse, isPageRequest } from './documents';
import { decoder, encoder } from './encoding';
import type { PageHub } from './hub';
import { ScriptInjector } from './injector';
import type { PageHooks, ProxiedRequest, Rewrite } from './pageHooks';
import type { Stylesheets } from './stylesheets';

const SCRIPT = Buffer.from(CLIENT_SCRIPT);

/** Headers that describe the body as the program sent it, which the injected tag changes (the length is adjusted). */
const BODY_HEADERS = new Set(['content-length', 'etag', 'content-md5', 'digest']);

/**
 * Browser reload as the proxy sees it: it serves the script and the event stream, injects one tag
 * into full HTML pages (the epoch they were served at, the page's CSP nonce if it has one), and
 * tells the stylesheet registry what CSS it saw. Everything else passes untouched.
 */
export class BrowserPages implements PageHooks {
  constructor(
    private readonly hub: PageHub,
    private readonly stylesheets: Stylesheets,
  ) {}

  serve(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const url = req.url ?? '';
    if (!url.startsWith(ENDPOINT_PREFIX)) return false;
    const pathname = url.split('?')[0];
    if (pathname === EVENTS_PATH) this.hub.connect(req, res);
    else if (pathname === CLIENT_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Content-Length': SCRIPT.length, 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : SCRIPT);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`hotreload: no such endpoint ${pathname}\n`);
    }
    return true;
  }

  begin(req: http.IncomingMessage): ProxiedRequest | undefined {
    if (isPageRequest(req)) {
      // The epoch when the request left, never later: a page is never stamped newer than what served it.
      const epoch = this.hub.epoch;
      const src = scriptSrc(req.url ?? '/');
      return { respond: (status, headers) => rewrite(status, headers, epoch, src) };
    }
    if (req.method !== 'GET') return undefined;
    return {
      respond: (status, headers) => {
        this.stylesheets.observe(req, status, headers);
        return undefined;
      },
    };
  }
}

/**
 * The script's URL relative to the page's, so that a page reached through a proxy that adds a path
 * prefix (code-server's /proxy/<port>/, a dev container's forwarded path) still finds it.
 */
export function scriptSrc(requestPath: string): string {
  const pathname = requestPath.split(/[?#]/)[0];
  const depth = Math.max(0, (pathname.match(/\//g)?.length ?? 1) - 1);
  return `${depth === 0 ? './' : '../'.repeat(depth)}${CLIENT_PATH.slice(1)}`;
}

function rewrite(status: number, headers: string[], epoch: string, src: string): Rewrite | undefined {
  const html = htmlResponse(status, headers);
  if (!html) return undefined;
  const nonce = scriptNonce(headers);
  const tag = `<script src="${src}" data-hotreload="${epoch}" async${nonce ? ` nonce="${nonce}"` : ''}></script>`;
  const bytes = Buffer.from(tag);
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i].toLowerCase();
    // The tag always goes in exactly once, so an uncompressed page keeps an exact length (no chunking).
    if (name === 'content-length' && html.coding === 'identity' && /^\d+$/.test(headers[i + 1]))
      kept.push(headers[i], String(Number(headers[i + 1]) + bytes.length));
    else if (!BODY_HEADERS.has(name)) kept.push(headers[i], headers[i + 1]);
  }
  const inject = new ScriptInjector(bytes);
  return { headers: kept, body: html.coding === 'identity' ? [inject] : [decoder(html.coding), inject, encoder(html.coding)] };
}
