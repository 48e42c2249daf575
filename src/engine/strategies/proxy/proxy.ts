import type { PageHooks } from '../../browser/pageHooks';
import type { Artifact } from '../../kernel/artifact';
import { describeExit } from '../../kernel/exits';
import { listeningPorts } from '../../processes/listeningPorts';
import type { Program } from '../../processes/program';
import type { Settings } from '../../settings/types';
import { freeLoopbackPort, pollUntil, probeHttp, probeTcp } from '../probes';
import { formatAddress, LOOPBACK, pageUrl, publicAddress, type ListenAddress } from '../publicAddress';
import { waitUntilReady, type Readiness } from '../readiness';
import { Retiring } from '../retiring';
import type { DeployResult, Launch, LogFn, Preparation, RunStrategy } from '../strategy';
import { addressInUse, describeMistake, mistakeHeadline, type PortMistake } from './portMistakes';
import { ReverseProxy, type Backend } from './reverseProxy';

type Launched = Awaited<ReturnType<Launch>>;
/** How a new version's wait ended: as any strategy's, or on "address in use" for the proxy's own port. */
type ProxyReadiness = Readiness | { kind: 'collided' };
interface NotReady {
  version: Artifact['version'];
  program: Launched;
  port: number;
  current: Program | undefined;
  readiness: Exclude<ProxyReadiness, { kind: 'ready' }>;
}

export interface ProxyOptions {
  settings: Settings;
  launch: Launch;
  log: LogFn;
  /** The program's environment besides settings.env (env files, the engine's own), for PORT. */
  programEnv?: () => Record<string, string | undefined>;
  /** Browser reload: pages are rewritten on their way through. */
  pages?: PageHooks;
}

/**
 * Zero-downtime restarts for programs that know nothing of the engine: the engine listens on the
 * public port and forwards HTTP (streaming and Upgrade included) to the program, which listens on
 * the port in PORT, a fresh loopback port for each version.
 *
 * A deploy starts the new version beside the old one and waits until it accepts a TCP connection on
 * its port (or answers healthPath with 2xx/3xx); then the proxy switches atomically: new requests go
 * to the new version, the old one finishes the requests it has (up to drainTimeoutMs) and is then
 * stopped. Client connections to the proxy survive the switch. A new version that exits or is not
 * ready within readyTimeoutMs is stopped; the old one never stopped serving.
 *
 * With appPort set (air's proxy.app_port) every version listens on that one port, so the old one
 * must be gone before the new one starts: the proxy holds new requests meanwhile (up to
 * readyTimeoutMs), so clients wait instead of failing, but a new version that fails to start leaves
 * nothing serving until the next good build.
 */
export class ProxyStrategy implements RunStrategy {
  readonly name = 'proxy' as const;
  private readonly proxy: ReverseProxy;
  private listening: Promise<ListenAddress> | undefined;
  private bound: ListenAddress | undefined;
  private readonly backends = new Map<Program, Backend>();
  private readonly retiring = new Retiring();
  private disposed = false;

  constructor(private readonly options: ProxyOptions) {
    this.proxy = new ReverseProxy({ waitTimeoutMs: options.settings.readyTimeoutMs, pages: options.pages });
  }

  private get settings(): Settings {
    return this.options.settings;
  }

  /** The proxy's address once it listens (the real port when 0 was asked for). */
  get address(): ListenAddress | undefined {
    return this.bound;
  }

  /** The loopback port the active version listens on. */
  get backendPort(): number | undefined {
    return this.proxy.current?.port;
  }

  /**
   * Beside the first build (a minute on a cold cache): the proxy listens already and answers at once
   * that no version serves yet, rather than refusing connections.
   */
  async prepare(): Promise<Preparation> {
    if (!this.disposed && this.bound === undefined && this.proxy.current === undefined) {
      try {
        await this.listen();
        this.proxy.setUnavailable('no version of the program serves yet: its first build is under way (or failed: see the build errors)');
      } catch {
        // The deploy says why it cannot listen.
      }
    }
    return { kind: 'ok', bind: () => undefined };
  }

  async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    const started = Date.now();
    let stopMs = 0;
    const fail = (message: string, output = ''): Extract<DeployResult, { ok: false }> => ({
      ok: false,
      message,
      output,
      stopMs,
      startMs: Date.now() - started - stopMs,
    });
    if (this.disposed) return fail('the session is stopping');
    try {
      await this.listen();
    } catch (err) {
      return fail((err as Error).message);
    }

    const fixedPort = this.settings.appPort;
    if (fixedPort !== undefined && current?.running) stopMs = await this.stopFirst(current);

    let port: number;
    let program: Launched;
    // A version is on its way: requests wait for it (up to readyTimeoutMs) instead of failing.
    this.proxy.setUnavailable(undefined);
    try {
      port = fixedPort ?? (await freeLoopbackPort());
      program = await this.options.launch(artifact, { env: { PORT: String(port) } });
    } catch (err) {
      return fail((err as Error).message);
    }
    const backend = this.proxy.createBackend(port, `v${artifact.version}`);
    this.backends.set(program, backend);
    void program.exited.then(() => this.proxy.backendGone(backend));

    const readiness = await this.readiness(program, port);
    if (readiness.kind !== 'ready') {
      const { message, problem } = await this.notReady({ version: artifact.version, program, port, current, readiness });
      this.forget(program, backend);
      // Nothing serves: clients get this at once instead of waiting for a version that is not coming.
      if (!current?.running) this.proxy.setUnavailable(message);
      return { ...fail(message, program.outputTail()), ...(problem ? { problem } : {}) };
    }

    this.proxy.setActive(backend);
    const zeroDowntime = fixedPort === undefined;
    if (current && current !== program && zeroDowntime) this.retire(current);
    return {
      ok: true,
      program,
      outcome: current ? (zeroDowntime ? 'handed-off' : 'restarted') : 'started',
      stopMs,
      startMs: Date.now() - started - stopMs,
    };
  }

  /** One port for every version: the old one must let go of it first. New requests are held. Resolves with the time it took. */
  private async stopFirst(current: Program): Promise<number> {
    const stopStarted = Date.now();
    this.proxy.setActive(undefined);
    const old = this.backends.get(current);
    if (old) await this.proxy.drain(old, this.settings.drainTimeoutMs);
    await current.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
    if (old) this.forget(current, old);
    return Date.now() - stopStarted;
  }

  /** Waits for the new version to answer its probe, to exit, to time out, or to collide on the proxy's port. */
  private async readiness(program: Launched, port: number): Promise<ProxyReadiness> {
    let cancelled = false;
    const healthPath = this.settings.healthPath;
    const probe = healthPath ? () => probeHttp(port, healthPath) : () => probeTcp(port);
    const ready = pollUntil(probe, () => cancelled).then((ok) => (ok ? undefined : new Promise<never>(() => undefined)));
    // Its own "address already in use" for the proxy's port ends the wait at once, even if it keeps
    // running: no version may take that port. A clash on another port may be a side listener's, so
    // the wait goes on (the exit or the timeout still names it).
    const collided = new Promise<void>((resolve) =>
      program.onOutput(() => {
        if (!cancelled && addressInUse(program.outputTail().slice(-4096))?.port === this.bound?.port) resolve();
      }),
    );
    const readiness = await Promise.race([
      waitUntilReady(program, ready, this.settings.readyTimeoutMs, () => (cancelled = true)),
      collided.then(() => ({ kind: 'collided' }) as const),
    ]);
    cancelled = true;
    return readiness;
  }

  /** Stops a version that did not become ready and says why, naming a port mistake when it made one. */
  private async notReady(failed: NotReady): Promise<{ message: string; problem?: { headline: string; port?: number } }> {
    const { version, program, port, current, readiness } = failed;
    const fixedPort = this.settings.appPort;
    const healthPath = this.settings.healthPath;
    const timeoutMs = this.settings.readyTimeoutMs;
    const keeps = current?.running
      ? `; v${current.version} keeps serving`
      : fixedPort !== undefined && current
        ? '; nothing serves until a version starts (appPort is fixed, so the old one had to stop first)'
        : '';
    // Where it listens instead, asked of the kernel while it still runs.
    const elsewhere = readiness.kind === 'timeout' ? listeningPorts(program.pid) : [];
    if (readiness.kind !== 'exited' && program.running) await program.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
    // The supervisor reports an exit once the output is all in: the tail holds the last words.
    await program.exited;
    const inUse = fixedPort === undefined ? addressInUse(program.outputTail()) : undefined;
    const mistake: PortMistake | undefined = inUse
      ? { kind: 'in-use', port: inUse.port }
      : readiness.kind === 'timeout' && !healthPath && fixedPort === undefined
        ? { kind: 'not-listening', elsewhere }
        : undefined;
    let message: string;
    if (mistake) {
      message = describeMistake({ version, mistake, given: port, proxyPort: this.bound?.port, readyTimeoutMs: timeoutMs, keeps });
    } else if (readiness.kind === 'exited') {
      message = `v${version} ${describeExit(readiness.exit)} before it was ready${keeps}`;
    } else {
      const what = healthPath ? `answer ${healthPath} with 2xx or 3xx` : `accept connections on port ${port} (the PORT it was given)`;
      message = `v${version} did not ${what} within ${timeoutMs} ms, so it was stopped${keeps}. Make the program listen on the port in the PORT environment variable, or raise readyTimeoutMs`;
    }
    const named = mistake?.kind === 'in-use' ? mistake.port : mistake?.elsewhere[0];
    const problem = mistake && { headline: mistakeHeadline(mistake), ...(named ? { port: named } : {}) };
    return { message, ...(problem ? { problem } : {}) };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.retiring.settle();
    // Anything still known here (a version the session stopped itself) is gone or going.
    for (const [program, backend] of this.backends) {
      if (program.running) await program.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
      this.forget(program, backend);
    }
    await this.listening?.catch(() => undefined);
    await this.proxy.close();
  }

  /** The old version finishes what it has, then is stopped; accounted for in `retiring`. */
  private retire(old: Program): void {
    const backend = this.backends.get(old);
    const drainMs = this.settings.drainTimeoutMs;
    this.retiring.track(
      (async () => {
        if (backend) {
          const drained = await this.proxy.drain(backend, drainMs);
          if (!drained && old.running)
            this.options.log(
              'warn',
              `v${old.version} still had ${backend.inflight} request(s) or connection(s) open ${drainMs} ms after the switch; stopping it`,
            );
        }
        if (old.running) await old.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
        if (backend) this.forget(old, backend);
      })(),
      (err) => this.options.log('error', `stopping v${old.version} failed: ${String(err)}`),
    );
  }

  private forget(program: Program, backend: Backend): void {
    this.backends.delete(program);
    this.proxy.removeBackend(backend);
  }

  private listen(): Promise<ListenAddress> {
    this.listening ??= (async () => {
      const address = publicAddress(this.settings, 'proxy', this.options.programEnv?.() ?? process.env);
      try {
        const bound = await this.proxy.listen(address);
        this.bound = bound;
        const from = address.source === 'default' ? 'the default port' : address.source;
        const to = this.settings.appPort !== undefined ? `port ${this.settings.appPort} (appPort)` : 'a fresh loopback port per version (in PORT)';
        const open = address.host === LOOPBACK ? `; loopback only: listenAddress 0.0.0.0:${bound.port} opens it to the network` : '';
        this.options.log('info', `proxy: listening on ${this.proxy.where ?? formatAddress(bound)} (from ${from}), forwarding to ${to}${open}`);
        if (this.options.pages) this.options.log('info', `browser reload: open ${pageUrl(bound)}; pages reload once a new version answers`);
        return bound;
      } catch (err) {
        this.listening = undefined;
        const code = (err as NodeJS.ErrnoException).code;
        const hint = code === 'EADDRINUSE' ? ': another process listens there; stop it, or set proxyPort (or listenAddress) to a free port' : '';
        throw new Error(`the proxy cannot listen on ${formatAddress(address)} (${code ?? (err as Error).message})${hint}`, { cause: err });
      }
    })();
    return this.listening;
  }
}
