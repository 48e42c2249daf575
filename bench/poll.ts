import { httpGet } from '../test/support/http';
import { eventually } from '../test/support/waiting';

/**
 * Polls GET `urlPath` on a loopback port every 5 ms until the body satisfies `pred`; resolves with
 * the time it did. Often enough to see a switch, gently enough not to load the machine being
 * measured. The same poll measures the engine and the floor, so the instrument costs both alike.
 */
export function firstResponse(port: number, pred: (body: string) => boolean, timeoutMs = 120000, urlPath = '/'): Promise<number> {
  return eventually(
    `a matching response on port ${port}`,
    async () => pred((await httpGet(port, urlPath, 1000)).body) && Date.now(), // a throw: not up yet, or switching
    { timeoutMs, intervalMs: 5 },
  );
}

/** The first response whose body is exactly `expected`. */
export function waitForBody(port: number, expected: string, timeoutMs = 60000): Promise<number> {
  return firstResponse(port, (body) => body === expected, timeoutMs);
}
