import * as http from 'node:http';
import * as path from 'node:path';

/** Stylesheet URLs remembered; the oldest is forgotten first. */
const MAX_URLS = 256;
/** Larger answers are not compared (and the change gets a full build). */
const MAX_BYTES = 8 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 2000;

interface Served {
  /** The proxy's own address, as the browser reached it: where the URL is fetched again. */
  host: string;
  port: number;
}

/**
 * The stylesheets the program serves, learnt from the responses that pass through the proxy
 * (text/css answers to GET requests). When a watched stylesheet changes, the URLs that now answer
 * with exactly its new bytes are the ones pages can swap without a rebuild: the program serves that
 * file from disk. A stylesheet embedded in the binary (go:embed) still answers with the old bytes,
 * so it matches nothing and gets the full build it needs.
 */
export class Stylesheets {
  private readonly served = new Map<string, Served>();

  /** Remembers a URL whose answer was a stylesheet. */
  observe(req: http.IncomingMessage, status: number, rawHeaders: readonly string[]): void {
    if (status !== 200 || req.method !== 'GET' || !req.url) return;
    let css = false;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      if (rawHeaders[i].length === 12 && rawHeaders[i].toLowerCase() === 'content-type') css = /^\s*text\/css\b/i.test(rawHeaders[i + 1]);
    }
    if (!css) return;
    const url = withoutCacheBuster(req.url);
    const host = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    this.served.delete(url);
    this.served.set(url, { host, port: req.socket.localPort ?? 0 });
    if (this.served.size > MAX_URLS) this.served.delete(this.served.keys().next().value!);
  }

  get size(): number {
    return this.served.size;
  }

  /** The URLs that now answer with exactly `content`: those named like the file first, then the rest. */
  async servedAs(file: string, content: Buffer): Promise<string[]> {
    const name = path.basename(file);
    const entries = [...this.served];
    const named = entries.filter(([url]) => new URL(url, 'http://x').pathname.endsWith(`/${name}`));
    const found = await this.matching(named, content);
    if (found.length > 0) return found;
    return this.matching(
      entries.filter((e) => !named.includes(e)),
      content,
    );
  }

  private async matching(entries: [string, Served][], content: Buffer): Promise<string[]> {
    const answers = await Promise.all(entries.map(([url, at]) => fetchBody(at, url)));
    return entries.filter((_, i) => answers[i]?.equals(content)).map(([url]) => url);
  }
}

/** The query parameter pages add to a swapped stylesheet's URL so the browser fetches it again. */
function withoutCacheBuster(url: string): string {
  if (!url.includes('hotreload=')) return url;
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.delete('hotreload');
  return parsed.pathname + parsed.search;
}

/** A GET through the proxy (so whatever version serves now answers): its body, or undefined. */
function fetchBody(at: Served, url: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: at.host,
        port: at.port,
        path: url,
        agent: false,
        timeout: FETCH_TIMEOUT_MS,
        headers: { accept: 'text/css', 'user-agent': 'hotreload-stylesheets' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return resolve(undefined);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BYTES) req.destroy();
          else chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', () => resolve(undefined));
        res.on('close', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}
