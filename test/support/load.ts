/**
 * A steady HTTP load on a loopback port that counts every failed request: what the zero-downtime
 * tests and the benchmarks reload under.
 */
import * as http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadOptions {
  /** Clients that open a new connection per request. Default 2. */
  fresh?: number;
  /** Clients that each reuse one keep-alive connection. Default 2. */
  keepAlive?: number;
  /** Each client's pause between requests, so the load stays bounded on a small shared machine. Default 5 ms. */
  pauseMs?: number;
  /** What each request GETs; it must answer 200. Default `/pid` (a body that is a pid is recorded in `pids`). */
  path?: string;
  /** A request with no answer after this long fails. Default 10 s. */
  timeoutMs?: number;
  /** The load stops by itself after this long, should nobody stop it. Default 10 min. */
  maxMs?: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  /** Keep-alive requests sent again because a reused idle connection was closed under them (RFC 9112 §9.3.1). */
  retried: number;
  /** TCP connections each keep-alive client opened over the whole run. */
  keepAliveConnections: number[];
  /** The first 20 failures, each with its time and client kind. */
  errors: string[];
  pids: Set<number>;
}

interface KeepAliveClient {
  agent: http.Agent;
  sockets: Set<unknown>;
}

interface Outcome {
  ok: boolean;
  retry?: boolean;
  error?: string;
  pid?: number;
}

/**
 * A keep-alive client sends a request again when it was written to a reused connection that the
 * server had closed as idle (ECONNRESET or EPIPE on a reused socket before any response), as
 * browsers and Go's http.Transport do and as Node's documentation for `request.reusedSocket` shows;
 * such requests are counted in `retried`. Everything else that does not answer 200 is a failure.
 */
export class Load {
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly clients: KeepAliveClient[] = [];
  private readonly deadline: number;
  readonly result: LoadResult = { ok: 0, failed: 0, retried: 0, keepAliveConnections: [], errors: [], pids: new Set() };

  constructor(
    private readonly port: number,
    private readonly options: LoadOptions = {},
  ) {
    this.deadline = Date.now() + (options.maxMs ?? 10 * 60_000);
    for (let i = 0; i < (options.fresh ?? 2); i++) this.loops.push(this.loop(undefined));
    for (let i = 0; i < (options.keepAlive ?? 2); i++) {
      const client = { agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), sockets: new Set<unknown>() };
      this.clients.push(client);
      this.loops.push(this.loop(client));
    }
  }

  private async loop(client: KeepAliveClient | undefined): Promise<void> {
    while (this.running && Date.now() < this.deadline) {
      let outcome = await this.once(client);
      if (outcome.retry && client) {
        this.result.retried++;
        outcome = await this.once(client);
      }
      if (outcome.ok) {
        this.result.ok++;
        if (outcome.pid) this.result.pids.add(outcome.pid);
      } else {
        this.result.failed++;
        if (this.result.errors.length < 20) this.result.errors.push(`${new Date().toISOString()} ${client ? 'keep-alive' : 'fresh'}: ${outcome.error}`);
      }
      await sleep(this.options.pauseMs ?? 5);
    }
  }

  private once(client: KeepAliveClient | undefined): Promise<Outcome> {
    const options = {
      host: '127.0.0.1',
      port: this.port,
      path: this.options.path ?? '/pid',
      agent: client?.agent ?? false,
      timeout: this.options.timeoutMs ?? 10_000,
    };
    return new Promise((resolve) => {
      const req = http.get(options, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const pid = Number(body.trim());
          resolve(
            res.statusCode === 200
              ? { ok: true, pid: Number.isInteger(pid) ? pid : undefined }
              : { ok: false, error: `status ${res.statusCode}: ${body.trim().slice(0, 200)}` },
          );
        });
        res.on('error', (err) => resolve({ ok: false, error: `response: ${err.message}` }));
      });
      req.on('socket', (socket) => client?.sockets.add(socket));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err: NodeJS.ErrnoException) => {
        const retry = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        resolve({ ok: false, retry, error: `${err.code ?? ''} ${err.message}${req.reusedSocket ? ' (reused socket)' : ''}` });
      });
    });
  }

  /** Stops the clients, waits for the requests under way, and returns the count. Safe to call again. */
  async stop(): Promise<LoadResult> {
    this.running = false;
    await Promise.all(this.loops);
    this.result.keepAliveConnections = this.clients.map((c) => c.sockets.size);
    for (const client of this.clients) client.agent.destroy();
    return this.result;
  }
}
