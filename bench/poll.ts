import { httpGet } from '../test/integration/harness';

/**
 * Polls `/` on a loopback port every 5 ms until the body satisfies `pred`;
 * resolves with the time it did. Often enough to see a switch, gently enough
 * not to load the machine being measured. The same poll measures the engine
 * and the floor, so the instrument costs both alike.
 */
export async function firstResponse(port: number, pred: (body: string) => boolean, timeoutMs = 120000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await httpGet(port, '/', 1000);
      if (pred(r.body.trim())) return Date.now();
    } catch {
      /* not up yet, or switching */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no matching response on port ${port} within ${timeoutMs} ms`);
}

/** The first response whose body is exactly `expected`. */
export function waitForBody(port: number, expected: string, timeoutMs = 60000): Promise<number> {
  return firstResponse(port, (body) => body === expected, timeoutMs);
}
