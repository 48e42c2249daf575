import type * as http from 'node:http';

/** One version of the program as the proxy sees it: a loopback port and the connections to it. */
export interface Backend {
  readonly label: string;
  readonly host: string;
  readonly port: number;
  /** Keep-alive connections to this version only: a switch never sends a request down an old one. */
  readonly agent: http.Agent;
  /** Requests and upgraded connections under way on this backend. */
  inflight: number;
  /** Its process has exited (or it was removed): nothing is sent to it any more. */
  dead: boolean;
  idleWaiters: (() => void)[];
}

/** How often a request is tried again when the backend refused it or reset a reused connection. */
export const MAX_ATTEMPTS = 4;

/**
 * Counts one request or upgraded connection as in flight on `backend`. The function returned ends
 * it through `release`, once, however many of the request's ends (close, error, finish) call it.
 */
export function holdInflight(backend: Backend, release: (backend: Backend) => void): () => void {
  backend.inflight++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release(backend);
  };
}
