import * as net from 'node:net';
import type { ListenAddress } from '../settings/listenAddress';
import { describeFailure, type AdapterSession } from './adapterSession';
import { BreakpointBook, isBreakpointRequest } from './breakpointBook';
import { DapConnection, type DapMessage } from './dapConnection';
import { fromAnotherUser } from './sameUser';

/** What the session does when the debugger client asks it to. */
export interface RelayOwner {
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** The client stopped debugging (the Stop button of a launch): hot reload stops. */
  stop(): void;
  /** The client's Restart button: Hot Reload: Restart (a build only when a source changed). */
  restart(): void;
}

/** Launch attributes a client may give that the adapter keeps meaning across versions (Delve's display options). */
const CLIENT_OPTIONS = [
  'stackTraceDepth',
  'maxStringLen',
  'maxArrayValues',
  'showGlobalVariables',
  'showRegisters',
  'hideSystemGoroutines',
  'goroutineFilters',
  'showPprofLabels',
  'substitutePath',
  'showRawStrings',
];
/** Events of an adapter that concern only the engine's conversation with it. */
const ENGINE_EVENTS = new Set(['initialized', 'process', 'terminated', 'capabilities']);

interface Backend {
  version: number;
  session: AdapterSession;
  /** The adapter's last `stopped` event while it is paused, for a client that attaches then. */
  stopped?: DapMessage;
  /** Its version no longer serves the client: whatever pauses it is resumed at once. */
  released?: boolean;
}

/**
 * One debug session for the whole hot-reload session. Debugger clients (VS Code, nvim-dap, GoLand)
 * connect to one address the engine keeps; each version runs under an adapter of its own (so old
 * and new can run side by side under handoff), and the relay speaks for the newest one: it sends
 * each new adapter the client's breakpoints before the version runs, lets the old one go (resumed
 * if paused and whenever it pauses again), and turns the adapters' ids into the ones the client
 * knows. The client never sees an adapter end: only the session's end terminates its session.
 */
export class DebugRelay {
  private server: net.Server | undefined;
  private bound: ListenAddress | undefined;
  private client: DapConnection | undefined;
  private clientSeq = 1;
  private clientInit: Record<string, unknown> = {};
  private clientOptions: Record<string, unknown> = {};
  private readonly book = new BreakpointBook();
  private readonly backends: Backend[] = [];
  private disposed = false;

  /** `adapterId`: the DAP `adapterID` every version's adapter is initialized with (its debug adapter's). */
  constructor(
    private readonly owner: RelayOwner,
    private readonly adapterId: string,
  ) {}

  get address(): ListenAddress | undefined {
    return this.bound;
  }

  get attached(): boolean {
    return this.client !== undefined;
  }

  private get current(): Backend | undefined {
    return this.backends[this.backends.length - 1];
  }

  /** Starts taking debugger connections at `address` (port 0: a free one). */
  async open(address: ListenAddress): Promise<ListenAddress> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host || undefined, () => resolve());
    });
    this.server = server;
    const port = (server.address() as net.AddressInfo).port;
    this.bound = { host: address.host, port };
    return this.bound;
  }

  /** What each adapter is initialized with: the client's own capabilities once one is attached. */
  initializeArguments(): Record<string, unknown> {
    return {
      clientID: 'hotreload',
      adapterID: this.adapterId,
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
      ...this.clientInit,
      supportsRunInTerminalRequest: false,
    };
  }

  /** Launch attributes from the client that every version's adapter gets. */
  launchOptions(): Record<string, unknown> {
    return { ...this.clientOptions };
  }

  /** Sets the client's breakpoints in a new version's adapter, before that version runs. */
  async configure(session: AdapterSession): Promise<void> {
    const changed = await this.book.replay(session);
    for (const breakpoint of changed) this.toClient({ seq: 0, type: 'event', event: 'breakpoint', body: { reason: 'changed', breakpoint } });
  }

  /** A new version runs under `session`: the client now debugs it, and the older ones are let go. */
  async adopt(session: AdapterSession, version: number): Promise<void> {
    const older = [...this.backends];
    const backend: Backend = { version, session };
    this.backends.push(backend);
    session.onEvent((event) => this.fromAdapter(backend, event));
    session.onClose(() => void this.gone(backend));
    for (const old of older) {
      await this.letGo(old);
      // Clearing its breakpoints halts it once (Delve reads the C libraries' symbols then: ~0.4 s),
      // so it is not waited for: meanwhile a breakpoint it hits is resumed at once.
      void this.book.clear(old.session);
    }
    this.console(`[hot reload] debugging v${version}${session.debuggeePid ? ` (pid ${session.debuggeePid})` : ''}`);
  }

  /** The version under `session` is about to stop: nothing may pause its shutdown (it is resumed whenever it pauses). */
  async release(session: AdapterSession): Promise<void> {
    const backend = this.backends.find((b) => b.session === session);
    if (backend) await this.letGo(backend);
  }

  /** Ends the client's debug session (the hot-reload session is over) and takes no more connections. */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.client) {
      this.toClient({ seq: 0, type: 'event', event: 'terminated', body: {} });
      this.client.close();
      this.client = undefined;
    }
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (fromAnotherUser(socket)) {
      this.owner.log('warn', `debug: refused a debugger connection from another user (port ${socket.remotePort})`);
      socket.destroy();
      return;
    }
    const connection = new DapConnection(socket);
    if (this.client || this.disposed) {
      // One client at a time: DAP is one conversation. The second one is told why.
      connection.onMessage((m) => {
        if (m.type === 'request') {
          connection.send(this.respond(m, false, undefined, 'another debugger is attached to this hot-reload session; detach it first'));
          connection.close();
        }
      });
      return;
    }
    this.client = connection;
    this.clientSeq = 1;
    connection.onMessage((m) => void this.fromClient(m));
    connection.onClose(() => {
      if (this.client !== connection) return;
      this.client = undefined;
      // Nobody is looking: nothing may stay paused or pause again.
      const current = this.current;
      if (current) void this.book.clear(current.session).then(() => this.resume(current));
    });
    this.owner.log('info', 'debug: a debugger attached');
  }

  private async fromClient(request: DapMessage): Promise<void> {
    if (request.type !== 'request') return;
    const args = request.arguments ?? {};
    const current = this.current;
    switch (request.command) {
      case 'initialize':
        this.clientInit = args;
        this.reply(request, true, { ...(current?.session.capabilities ?? {}), supportsRestartRequest: true, supportsTerminateRequest: true });
        return;
      case 'launch':
      case 'attach':
        this.clientOptions = Object.fromEntries(CLIENT_OPTIONS.filter((k) => k in args).map((k) => [k, args[k]]));
        this.reply(request, true);
        this.toClient({ seq: 0, type: 'event', event: 'initialized' });
        if (current?.stopped && current.session.paused) this.toClient(this.mapIds(current, { ...current.stopped }));
        return;
      case 'configurationDone':
        this.reply(request, true);
        return;
      case 'disconnect':
        this.reply(request, true);
        if (args.terminateDebuggee !== false && !args.restart) this.owner.stop();
        else this.client?.close();
        return;
      case 'terminate':
        this.reply(request, true);
        this.owner.stop();
        return;
      case 'restart':
        this.reply(request, true);
        this.owner.restart();
        return;
    }
    if (isBreakpointRequest(request.command)) {
      const response = current ? await current.session.request(request.command, args) : undefined;
      const got = response?.success ? (response.body?.breakpoints as Record<string, unknown>[] | undefined) : undefined;
      const breakpoints = this.book.record(request.command, args, response?.success ? current?.session : undefined, got);
      this.reply(request, true, request.command === 'setExceptionBreakpoints' ? {} : { breakpoints });
      return;
    }
    if (!current) {
      if (request.command === 'threads') this.reply(request, true, { threads: [] });
      else this.reply(request, false, undefined, 'the program is not running: a new version is on its way');
      return;
    }
    const response = await current.session.request(request.command!, args);
    this.reply(request, response.success === true, response.body, response.success ? undefined : describeFailure(response));
  }

  private fromAdapter(backend: Backend, event: DapMessage): void {
    if (event.event === 'stopped' && backend.released) {
      void backend.session.request('continue', { threadId: event.body?.threadId ?? 1 });
      return;
    }
    if (event.event === 'stopped') backend.stopped = event;
    if (event.event === 'continued') backend.stopped = undefined;
    if (backend !== this.current || ENGINE_EVENTS.has(event.event ?? '')) return;
    if (event.event === 'exited') {
      const code = Number(event.body?.exitCode);
      this.console(`[hot reload] v${backend.version} ${code < 0 ? `ended by signal ${-code}` : `exited with status ${code}`}`);
      return;
    }
    this.toClient(this.mapIds(backend, { ...event }));
  }

  /** An adapter is gone (its version ended): the newest one left, if any, is debugged again. */
  private async gone(backend: Backend): Promise<void> {
    const index = this.backends.indexOf(backend);
    if (index < 0) return;
    const wasCurrent = backend === this.current;
    this.backends.splice(index, 1);
    if (!wasCurrent) return;
    if (backend.stopped) this.continued(backend);
    const next = this.current;
    if (next && next.session.open && !this.disposed) {
      next.released = false;
      await this.configure(next.session);
      this.console(`[hot reload] debugging v${next.version} again`);
    }
  }

  /** An old version runs on unpaused: resumed now if paused (the client sees it run on), and whenever it pauses again. */
  private async letGo(backend: Backend): Promise<void> {
    backend.released = true;
    await this.resume(backend);
  }

  /** Resumes a paused version; the client sees it run on. */
  private async resume(backend: Backend): Promise<void> {
    if (!backend.session.open) return;
    if (backend.session.paused) {
      const threadId = (backend.stopped?.body?.threadId as number | undefined) ?? 1;
      await backend.session.request('continue', { threadId });
      this.continued(backend);
    }
    backend.stopped = undefined;
  }

  private continued(backend: Backend): void {
    const threadId = (backend.stopped?.body?.threadId as number | undefined) ?? 1;
    this.toClient({ seq: 0, type: 'event', event: 'continued', body: { threadId, allThreadsContinued: true } });
  }

  /** Breakpoint ids in an adapter's event, as the client knows them. */
  private mapIds(backend: Backend, event: DapMessage): DapMessage {
    const body = event.body ? { ...event.body } : undefined;
    if (body && Array.isArray(body.hitBreakpointIds))
      body.hitBreakpointIds = (body.hitBreakpointIds as number[]).map((id) => this.book.clientId(backend.session, id));
    const breakpoint = body?.breakpoint as { id?: number } | undefined;
    if (body && breakpoint && typeof breakpoint.id === 'number') body.breakpoint = { ...breakpoint, id: this.book.clientId(backend.session, breakpoint.id) };
    return { ...event, body };
  }

  private console(output: string): void {
    this.toClient({ seq: 0, type: 'event', event: 'output', body: { category: 'console', output: `${output}\n` } });
  }

  private reply(request: DapMessage, success: boolean, body?: Record<string, unknown>, message?: string): void {
    this.toClient(this.respond(request, success, body, message));
  }

  private respond(request: DapMessage, success: boolean, body?: Record<string, unknown>, message?: string): DapMessage {
    return { seq: 0, type: 'response', request_seq: request.seq, command: request.command, success, ...(message ? { message } : {}), body: body ?? {} };
  }

  private toClient(message: DapMessage): void {
    this.client?.send({ ...message, seq: this.clientSeq++ });
  }
}
