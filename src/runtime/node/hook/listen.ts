import * as net from 'node:net';

/** Called for a listen on the public port; true when it took the call (the server must not listen itself). */
export type PublicListen = (server: net.Server, callback: (() => void) | undefined) => boolean;

/**
 * Routes `server.listen(port, …)` on the public port to `onPublic`, which makes the first such
 * server take the engine's socket and the servers of later versions give their handlers to it.
 * Every other listen (other ports, pipes, port 0) is left alone.
 */
export function interceptListen(publicPort: number, onPublic: PublicListen, onOtherPort: (port: number) => void = () => undefined): void {
  const prototype = net.Server.prototype as unknown as { listen: (this: net.Server, ...args: unknown[]) => net.Server };
  const original = prototype.listen;
  prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    const port = portOf(args);
    if (port === publicPort) {
      const last = args[args.length - 1];
      if (onPublic(this, typeof last === 'function' ? (last as () => void) : undefined)) return this;
    } else if (port !== undefined) onOtherPort(port);
    return original.apply(this, args);
  };
}

/** The port a listen call asks for: `listen(8080, …)`, `listen('8080')`, `listen({ port: 8080 })`. */
export function portOf(args: unknown[]): number | undefined {
  const first = args[0];
  const asPort = (value: unknown) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) return asPort((first as { port?: unknown }).port);
  return asPort(first);
}

/** Makes a server that gave its handlers away look as if it listened: `address()` and the callback. */
export function pretendListening(server: net.Server, live: net.Server, callback: (() => void) | undefined): void {
  server.address = () => live.address();
  process.nextTick(() => {
    callback?.call(server);
    server.emit('listening');
  });
}
