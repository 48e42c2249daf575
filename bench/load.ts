import * as http from 'node:http';

/**
 * A steady stream of requests from a few concurrent clients against a local
 * port, counting the ones that fail. Bounded: it stops when told or after `maxMs`.
 */
export class LoadGenerator {
  ok = 0;
  failed = 0;
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly agent: http.Agent;
  private readonly deadline: number;

  constructor(
    private readonly port: number,
    options: { clients?: number; keepAlive?: boolean; maxMs?: number; path?: string } = {},
  ) {
    this.agent = new http.Agent({ keepAlive: options.keepAlive ?? false, maxSockets: options.clients ?? 4 });
    this.deadline = Date.now() + (options.maxMs ?? 10 * 60 * 1000);
    for (let i = 0; i < (options.clients ?? 4); i++) this.loops.push(this.loop(options.path ?? '/'));
  }

  private async loop(path: string): Promise<void> {
    while (this.running && Date.now() < this.deadline) {
      const ok = await new Promise<boolean>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: this.port, path, agent: this.agent, timeout: 5000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200));
          res.on('error', () => resolve(false));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve(false));
      });
      if (ok) this.ok++;
      else this.failed++;
      if (!ok) await new Promise((r) => setTimeout(r, 2));
    }
  }

  async stop(): Promise<{ ok: number; failed: number }> {
    this.running = false;
    await Promise.all(this.loops);
    this.agent.destroy();
    return { ok: this.ok, failed: this.failed };
  }
}
