import type * as http from 'node:http';
import type { Transform } from 'node:stream';

/**
 * What the engine's proxy asks of browser reload. Kept this small so the proxy stays a proxy: it
 * lets the engine answer its own endpoints, and lets it rewrite a response on its way through.
 */
export interface PageHooks {
  /** Answers a request for the engine's own endpoints (its script, its event stream); false for everything else. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** Called once per proxied request, before it is forwarded; undefined when its response is of no interest. */
  begin(req: http.IncomingMessage): ProxiedRequest | undefined;
}

export interface ProxiedRequest {
  /** The response's status and (hop-by-hop-free) headers arrived: how to rewrite it, or undefined to pass it as it is. */
  respond(status: number, rawHeaders: string[]): Rewrite | undefined;
}

export interface Rewrite {
  headers: string[];
  /** The body goes through these, in order, on its way to the client. */
  body: Transform[];
}
