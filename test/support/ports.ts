/** Loopback ports for the programs tests start, and proof that a port was given back. */
import * as net from 'node:net';
import { httpGetOrError } from './http';
import { eventually } from './waiting';

/** A TCP port on 127.0.0.1 that nothing listens on (the kernel picks it): the engine's own way. */
export { freeLoopbackPort as freePort } from '../../src/engine/strategies/probes';

/** Whether something accepts TCP connections on 127.0.0.1:`port` now (one connect, closed at once). */
export { probeTcp as accepts } from '../../src/engine/strategies/probes';

/** Whether `port` is free: a connection to it is refused, and it can be bound again (on every interface). */
export async function portState(port: number): Promise<{ refused: boolean; bindable: boolean; detail: string }> {
  const answer = await httpGetOrError(port, '/', 1500);
  const refused = 'error' in answer && answer.error === 'ECONNREFUSED';
  const bindable = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
  return { refused, bindable, detail: JSON.stringify(answer) };
}

/** Waits until `port` is free (see portState). */
export async function waitForPortFree(port: number, timeoutMs: number): Promise<void> {
  let last = '';
  await eventually(
    () => `port ${port} to be free (last: ${last})`,
    async () => {
      const state = await portState(port);
      last = JSON.stringify(state);
      return state.refused && state.bindable;
    },
    { timeoutMs, intervalMs: 200 },
  );
}
