import type { Artifact } from '../../kernel/artifact';
import { describeExit } from '../../kernel/exits';
import { formatDuration } from '../../kernel/text';
import type { Detection, Language } from '../../languages';
import type { Program } from '../../processes/program';
import type { ProcessHost } from '../../processes/processHost';
import type { Supervisor } from '../../processes/supervisor/supervisor';
import type { Settings } from '../../settings/types';
import { formatAddress, LOOPBACK, publicAddress, type ListenAddress } from '../publicAddress';
import { waitUntilReady } from '../readiness';
import { Retiring } from '../retiring';
import type { DeployResult, Launch, LogFn, RunStrategy } from '../strategy';
import { ProgramChannels } from './programChannels';
import { CONTROL_FD, NOTIFY_FD } from './protocol';

export interface HandoffOptions {
  settings: Settings;
  launch: Launch;
  log: LogFn;
  /** The session's supervisor, which holds the listening socket. */
  host: ProcessHost;
  /** The program's environment besides settings.env (env files, the engine's own), for PORT. */
  programEnv?: () => Record<string, string | undefined>;
  /**
   * Whether the program depends on go/hotreload (detected at session start). Known not to, it
   * cannot report ready, so it counts as ready once it has run for crashWindowMs; otherwise the
   * ready event is required.
   */
  detection?: Promise<Detection>;
  /** The program's language, for what the messages say about readiness. */
  language?: Pick<Language, 'handoffLibrary' | 'readyHint'>;
}

/** The name the supervisor holds the session's listening socket by. */
const SOCKET_NAME = 'http';

/** How long a handoff waits for the old version to say it is draining before reporting anyway. */
const DRAINING_WAIT_MS = 1000;

/**
 * Zero-downtime restarts by socket handoff. The supervisor holds one listening socket for the
 * session's life and never accepts on it; each version gets it as fd 3 by the systemd
 * socket-activation protocol (LISTEN_FDS=1, LISTEN_PID set by the supervisor to the program's own
 * pid, LISTEN_FDNAMES=http), a notify pipe at fd 4 (HOTRELOAD_NOTIFY_FD) and a control pipe at
 * fd 5 (HOTRELOAD_CONTROL_FD).
 *
 * A deploy starts the new version while the old one keeps serving; both accept from the same
 * socket. Once the new one reports {"event":"ready"}, the old one gets the stop signal, drains its
 * in-flight requests and exits (everything it started is killed drainTimeoutMs + gracePeriodMs later if not);
 * the deploy resolves once the old one says it is draining (it no longer accepts), without waiting
 * for the drain itself, which is tracked until the group is reaped. A new version that exits, or is not ready within readyTimeoutMs, is stopped and the deploy
 * fails with its output; the old one never stopped serving.
 *
 * Connections that arrive while no version accepts wait in the kernel's backlog (as when the last
 * version crashed and its replacement starts): none is refused or accepted by the wrong process.
 */
export class HandoffStrategy implements RunStrategy {
  readonly name = 'handoff' as const;
  private bound: ListenAddress | undefined;
  private readonly sockets = new WeakMap<Supervisor, Promise<ListenAddress>>();
  private readonly channelsOf = new WeakMap<Program, ProgramChannels>();
  private readonly retiring = new Retiring();
  private fallbackNoted = false;
  private disposed = false;

  constructor(private readonly options: HandoffOptions) {}

  private get settings(): Settings {
    return this.options.settings;
  }

  /** The listening socket's address once it is open (the real port when 0 was asked for). */
  get address(): ListenAddress | undefined {
    return this.bound;
  }

  /** The notify and control channels of a program this strategy started (for live patching). */
  channels(program: Program): ProgramChannels | undefined {
    return this.channelsOf.get(program);
  }

  async deploy(artifact: Artifact, current: Program | undefined, extraEnv: Record<string, string> = {}): Promise<DeployResult> {
    const started = Date.now();
    const fail = (message: string, output = ''): DeployResult => ({ ok: false, message, output, stopMs: 0, startMs: Date.now() - started });
    if (this.disposed) return fail('the session is stopping');

    let bound: ListenAddress;
    try {
      bound = await this.openSocket();
    } catch (err) {
      return fail((err as Error).message);
    }

    let program: Awaited<ReturnType<Launch>>;
    try {
      program = await this.options.launch(artifact, {
        env: { ...this.protocolEnv(bound), ...extraEnv },
        listeners: [SOCKET_NAME],
        channels: true,
        listenPid: true,
      });
    } catch (err) {
      return fail((err as Error).message);
    }
    const channels = new ProgramChannels(program.process);
    this.channelsOf.set(program, channels);

    const fallbackMs = await this.readyFallbackMs();
    let fallbackTimer: NodeJS.Timeout | undefined;
    const ready =
      fallbackMs === undefined
        ? channels.when('ready')
        : Promise.race([channels.when('ready'), new Promise<void>((resolve) => (fallbackTimer = setTimeout(resolve, fallbackMs)))]);
    const timeoutMs = this.settings.readyTimeoutMs;
    const readiness = await waitUntilReady(program, ready, timeoutMs, () => clearTimeout(fallbackTimer));

    if (readiness.kind !== 'ready') {
      const keeps = current?.running ? `; v${current.version} keeps serving` : '';
      let message: string;
      if (readiness.kind === 'exited') {
        message = `v${artifact.version} ${describeExit(readiness.exit)} before it was ready${keeps}`;
      } else {
        await program.stop(this.settings.stopSignal, this.settings.gracePeriodMs);
        const hint = this.options.language?.readyHint ?? 'a program tells the engine it serves by writing {"event":"ready"} on HOTRELOAD_NOTIFY_FD';
        message =
          `v${artifact.version} did not report ready within ${formatDuration(timeoutMs)}, so it was stopped${keeps}. ` +
          `With the handoff strategy ${hint}; raise readyTimeoutMs if it needs longer`;
      }
      await program.exited;
      return fail(message, program.outputTail());
    }

    if (current && current !== program) await this.retire(current);
    return { ok: true, program, outcome: current ? 'handed-off' : 'started', stopMs: 0, startMs: Date.now() - started };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.retiring.settle();
    if (this.bound)
      await this.options.host.programSupervisor().then(
        (s) => s.unlisten(SOCKET_NAME),
        () => undefined,
      );
    this.bound = undefined;
  }

  /**
   * The old version drains in the background; its group is reaped and accounted for in `retiring`.
   * Resolves once it says it is draining (or exits, or a second passes): from then on fresh
   * connections reach the new version. On a remote target the stop signal travels further than
   * the user's next request, so without this wait the report could come before the switch.
   */
  private async retire(old: Program): Promise<void> {
    if (!old.running) return;
    const oldChannels = this.channelsOf.get(old);
    const graceMs = this.settings.drainTimeoutMs + this.settings.gracePeriodMs;
    this.retiring.track(
      old.stop(this.settings.stopSignal, graceMs).then((result) => {
        if (result.killed)
          this.options.log('warn', `v${old.version} (pid ${old.pid}) was still running ${graceMs} ms after ${this.settings.stopSignal} and was killed`);
      }),
      (err) => this.options.log('error', `stopping v${old.version} failed: ${String(err)}`),
    );
    // Only a program that said ready through go/hotreload says when it drains.
    if (!oldChannels?.has('ready')) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([oldChannels.when('draining'), old.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAINING_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /**
   * The socket on the supervisor where the program runs, opened once per supervisor: a new one
   * (a remote target that came back) holds a socket of its own.
   */
  private async openSocket(): Promise<ListenAddress> {
    const supervisor = await this.options.host.programSupervisor();
    let opening = this.sockets.get(supervisor);
    if (!opening) {
      opening = (async () => {
        const address = publicAddress(this.settings, 'handoff', this.options.programEnv?.() ?? process.env);
        // One socket passed as fd 3: loopback is IPv4's.
        const host = address.host === LOOPBACK ? '127.0.0.1' : address.host;
        try {
          const port = (await supervisor.listen(SOCKET_NAME, formatAddress({ host, port: address.port }))).port;
          // Pages and scripts are pointed at localhost, as with the proxies; the log says what is bound.
          const bound = { host: address.host, port };
          this.bound = bound;
          const from = address.source === 'default' ? 'the default port' : address.source;
          const where = host === '' ? `every interface on :${port}` : formatAddress({ host, port });
          const open = address.host === LOOPBACK ? ` (loopback only: listenAddress 0.0.0.0:${port} opens it to the network)` : '';
          this.options.log('info', `handoff: the supervisor holds ${where} (from ${from})${open} and passes it to each version as fd 3`);
          return bound;
        } catch (err) {
          this.sockets.delete(supervisor); // try again on the next deploy (the port may be free by then)
          const code = (err as NodeJS.ErrnoException).code;
          const hint = code === 'EADDRINUSE' ? ': another process listens there; stop it, or set listenAddress (or PORT) to a free port' : '';
          throw new Error(`cannot listen on ${formatAddress(address)} for the handoff socket (${code ?? (err as Error).message})${hint}`, { cause: err });
        }
      })();
      this.sockets.set(supervisor, opening);
    }
    return opening;
  }

  private protocolEnv(bound: ListenAddress): Record<string, string> {
    const env: Record<string, string> = {
      LISTEN_FDS: '1',
      LISTEN_FDNAMES: 'http',
      HOTRELOAD_NOTIFY_FD: String(NOTIFY_FD),
      HOTRELOAD_CONTROL_FD: String(CONTROL_FD),
      // For programs that listen by port (Node's preloaded hook): a listen on it takes fd 3.
      HOTRELOAD_PUBLIC_PORT: String(bound.port),
    };
    // The engine knows when it will SIGKILL an old version; the program's own setting wins.
    if (this.settings.env.HOTRELOAD_DRAIN_TIMEOUT === undefined) env.HOTRELOAD_DRAIN_TIMEOUT = String(this.settings.drainTimeoutMs);
    // The engine's own systemd notify socket (if it runs under systemd) is not the program's.
    if (this.settings.env.NOTIFY_SOCKET === undefined) env.NOTIFY_SOCKET = '';
    return env;
  }

  /** undefined: the ready event is required; a number: ready after that long alive without it. */
  private async readyFallbackMs(): Promise<number | undefined> {
    const detection = await this.options.detection;
    if (detection?.usesLibrary !== false) return undefined;
    if (!this.fallbackNoted) {
      this.fallbackNoted = true;
      this.options.log(
        'info',
        `handoff: the program does not import ${this.options.language?.handoffLibrary ?? 'the handoff library'}, so it cannot report ready; each version counts as ready once it has run ${this.settings.crashWindowMs} ms (crashWindowMs)`,
      );
    }
    return this.settings.crashWindowMs;
  }
}
