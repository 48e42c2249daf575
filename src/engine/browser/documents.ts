import type * as http from 'node:http';
import { codingOf, type Coding } from './encoding';

/**
 * Whether a request is a browser loading a page (a navigation, into a tab or a frame), as opposed to
 * a fragment (htmx's HX-Request, fetch, XMLHttpRequest) or a subresource. Browsers say so in
 * Sec-Fetch-Dest; without it (older browsers, tools) a GET that accepts HTML and is not marked as
 * an XHR counts.
 */
export function isPageRequest(req: http.IncomingMessage): boolean {
  const h = req.headers;
  if (req.method === 'HEAD') return false;
  if (h['hx-request'] !== undefined) return false;
  if ((h['x-requested-with'] ?? '').toString().toLowerCase() === 'xmlhttprequest') return false;
  const dest = h['sec-fetch-dest'];
  if (dest !== undefined) return dest === 'document' || dest === 'iframe' || dest === 'frame';
  return req.method === 'GET' && (h.accept ?? '').includes('text/html');
}

/** Charsets in which the ASCII script tag is itself: anything but UTF-16 and UTF-32. */
const WIDE_CHARSET = /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/i;

/** Statuses whose body is a page the user looks at (not 1xx, 204, 304, redirects). */
function showsPage(status: number): boolean {
  return (status >= 200 && status < 300 && status !== 204 && status !== 205) || (status >= 400 && status < 600);
}

/** A response to inject into, read from its status and (hop-by-hop-free) raw headers. */
export interface HtmlResponse {
  coding: Coding;
}

/** The response is a full HTML document in a form the proxy can rewrite; undefined otherwise. */
export function htmlResponse(status: number, rawHeaders: readonly string[]): HtmlResponse | undefined {
  if (!showsPage(status)) return undefined;
  let type: string | undefined;
  let encoding: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (name === 'content-type') type = rawHeaders[i + 1];
    else if (name === 'content-encoding') encoding = encoding === undefined ? rawHeaders[i + 1] : `${encoding}, ${rawHeaders[i + 1]}`;
    else if (name === 'content-disposition' && /^\s*attachment/i.test(rawHeaders[i + 1])) return undefined;
  }
  if (type === undefined) return undefined;
  const [mime, ...params] = type.split(';');
  if (mime.trim().toLowerCase() !== 'text/html') return undefined;
  const charset = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='));
  if (charset && WIDE_CHARSET.test(charset.slice('charset='.length).replace(/"/g, '').trim())) return undefined;
  const coding = codingOf(encoding);
  return coding === undefined ? undefined : { coding };
}
