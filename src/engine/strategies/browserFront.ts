import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PageHooks } from '../browser/pageHooks';
import type { Artifact } from '../kernel/artifact';
import { writeFileAtomic } from '../kernel/atomicFile';
import type { Program } from '../processes/program';
import type { Settings } from '../settings/types';
import { pollUntil, probeTcp } from './probes';
import { ReverseProxy, type Backend } from './proxy/reverseProxy';
import { formatAddress, listenHost, LOOPBACK, pageUrl, type ListenAddress } from './publicAddress';
import { waitUntilReady } from './readiness';
import { Retiring } from './retiring';
import type { DeployResult, LogFn, RunStrategy } from './strategy';
import { WrappedStrategy } from './wrapped';

export interface BrowserFrontOptions {
  settings: Settings;
  pages: PageHooks;
  log: LogFn;
}

/** Where the port the front had last time is kept, so open pages find it again after a restart. */
const PORT_FILE = 'browser-port';

/**
 * Browser reload for the strategies with no proxy of their own (restart, handoff, patch): a proxy
 * on a port of its own in front of the program, rewriting pages as the proxy strategy's does.
 *
 * After each deploy it waits until the new version accepts connections on the program's address,
 * and only then sends requests there and lets the deploy count as done, so the reload pages get
 * comes once the new version answers, not when its process starts. Requests that arrive meanwhile
 * (a restart leaves nothing listening for a moment) are held, not refused; a version that dies
 * before it listens is left to the session's rollback, and requests wait for the version after it.
 */
export class BrowserFront extends WrappedStrategy {
  private readonly proxy: ReverseProxy;
  private listening: Promise<void> | undefined;
  private bound: ListenAddress | undefined;
  private backend: Backend | undefined;
  private readonly retiring = new Retiring();
  private announced = false;

  constructor(
    private readonly inner: RunStrategy,
    private readonly options: BrowserFrontOptions,
  ) {
    super();
    this.proxy = new ReverseProxy({ waitTimeoutMs: options.settings.readyTimeoutMs, pages: options.pages });
  }

  protected get wrapped(): RunStrategy {
    return this.inner;
  }

  /** Pages are opened here, not on the program's own port (the strategy inside still has that one). */
  override get address(): ListenAddress | undefined {
    return this.bound;
  }

  override async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    await this.listen();
    const result = await super.deploy(artifact, current);
    if (!result.ok) return result;
    const started = Date.now();
    await this.follow(result.program);
    return { ...result, startMs: result.startMs + (Date.now() - started) };
  }

  override async dispose(): Promise<void> {
    await this.listening;
    // Closing the proxy ends every request and tunnel, so the drains below end at once.
    await this.proxy.close();
    await this.retiring.settle();
    await super.dispose();
  }

  /** Switches requests to the new version once it accepts connections (or readyTimeoutMs passed). */
  private async follow(program: Program): Promise<void> {
    const target = this.inner.address;
    if (!target) return;
    const host = target.host === '' || target.host === '0.0.0.0' || target.host === LOOPBACK ? '127.0.0.1' : target.host === '::' ? '::1' : target.host;
    const { readyTimeoutMs, drainTimeoutMs } = this.options.settings;
    let cancelled = false;
    const accepting = pollUntil(
      () => probeTcp(target.port, host),
      () => cancelled,
    ).then((ok) => (ok ? undefined : new Promise<never>(() => undefined)));
    const readiness = await waitUntilReady(program, accepting, readyTimeoutMs, () => (cancelled = true));
    if (readiness.kind === 'exited') return;
    const at = formatAddress({ host, port: target.port });
    if (readiness.kind === 'timeout')
      this.options.log(
        'warn',
        `browser reload: v${program.version} did not accept connections on ${at} within ${readyTimeoutMs} ms; pages are sent there anyway. If the program listens on another port, set appPort (or PORT in env) to it`,
      );
    const previous = this.backend;
    this.backend = this.proxy.createBackend(target.port, `v${program.version}`, host);
    this.proxy.setActive(this.backend);
    if (previous) this.retiring.track(this.proxy.drain(previous, drainTimeoutMs).then(() => this.proxy.removeBackend(previous)));
    if (!this.announced && this.bound) {
      this.announced = true;
      this.options.log(
        'info',
        `browser reload: open ${pageUrl(this.bound)} (a proxy on ${this.proxy.where ?? formatAddress(this.bound)}, in front of the program on ${at}); pages reload once a new version answers`,
      );
    }
  }

  private listen(): Promise<void> {
    this.listening ??= (async () => {
      const { settings, log } = this.options;
      // It runs here whatever the target: loopback unless listenAddress names a host.
      const host = listenHost({ listenAddress: settings.listenAddress });
      const portFile = path.join(settings.workDir, PORT_FILE);
      // Not the program's own port, which it may not have opened yet.
      const remembered = settings.browserPort === undefined ? readPort(portFile, this.inner.address?.port) : undefined;
      for (const port of settings.browserPort !== undefined ? [settings.browserPort] : [remembered, 0]) {
        if (port === undefined) continue;
        try {
          this.bound = await this.proxy.listen({ host, port });
          if (settings.browserPort === undefined) remember(portFile, this.bound.port);
          return;
        } catch (err) {
          if (port === settings.browserPort || port === 0) {
            const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
            log(
              'error',
              `browser reload: cannot listen on ${formatAddress({ host, port })} (${code}); the program runs without it. Set browserPort to a free port`,
            );
          }
        }
      }
    })();
    return this.listening;
  }
}

function readPort(file: string, not: number | undefined): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 && n < 65536 && n !== not ? n : undefined;
  } catch {
    return undefined;
  }
}

function remember(file: string, port: number): void {
  try {
    writeFileAtomic(file, `${port}\n`);
  } catch {
    // Only costs the same port next time.
  }
}
