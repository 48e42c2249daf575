import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Artifact } from '../kernel/artifact';
import type { DebugAdapter } from '../languages';
import { ProgramProcess, type ProgramOptions } from '../processes/program';
import { AdapterSession } from './adapterSession';
import { DapConnection } from './dapConnection';
import { DebuggedProgram } from './debuggedProgram';
import type { DebugRelay } from './relay';

/** How long an adapter may take to dial the engine once started. */
const CONNECT_TIMEOUT_MS = 15_000;
/** How long it may take to load a version and start it (a large binary's DWARF takes a while). */
const START_TIMEOUT_MS = 60_000;

/** What the session would run without a debugger (the program's spec for the supervisor). */
export type RunSpec = Omit<ProgramOptions, 'executable'> & { artifact: Artifact };

/**
 * Starts one version under the debug adapter: the supervisor runs the adapter with everything the
 * program would have had (environment, sockets, channels; the program inherits them from it), the
 * adapter dials a socket in a private directory, and the relay sets the client's breakpoints
 * before the version runs.
 */
export class DebugLauncher {
  private dir: string | undefined;
  private sequence = 0;

  constructor(
    private readonly adapter: DebugAdapter,
    private readonly adapterPath: string,
    private readonly relay: DebugRelay,
  ) {}

  async launch(spec: RunSpec): Promise<DebuggedProgram> {
    const { artifact, ...options } = spec;
    const socketPath = path.join(this.socketDir(), `v${artifact.version}-${++this.sequence}.sock`);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    let adapter: ProgramProcess | undefined;
    try {
      const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
      adapter = await ProgramProcess.start({
        ...options,
        executable: this.adapterPath,
        args: this.adapter.args(`unix:${socketPath}`),
        // The program sees LISTEN_PID as its parent's (the adapter's) pid, and is told so.
        env: { ...options.env, ...this.adapter.env, ...(options.listenPid ? { HOTRELOAD_LISTEN_PARENT: '1' } : {}) },
      });
      const socket = await this.connected(accepted, adapter);
      const session = await AdapterSession.start(new DapConnection(socket), {
        initialize: this.relay.initializeArguments(),
        launch: {
          ...this.relay.launchOptions(),
          ...this.adapter.launchArguments({ executable: artifact.path, args: options.args, cwd: options.cwd, env: options.env }),
        },
        configure: (s) => this.relay.configure(s),
        timeoutMs: START_TIMEOUT_MS,
      });
      if (session.debuggeePid === undefined) throw new Error(`${this.adapter.name} did not say which process it started`);
      const program = new DebuggedProgram(adapter, session, session.debuggeePid, () => this.relay.release(session));
      await this.relay.adopt(session, artifact.version);
      return program;
    } catch (err) {
      const output = adapter?.outputTail().trim();
      await adapter?.stop('SIGKILL', 0);
      throw new Error(`cannot start v${artifact.version} under ${this.adapter.name}: ${(err as Error).message}${output ? `\n${output}` : ''}`, { cause: err });
    } finally {
      server.close();
      fs.rmSync(socketPath, { force: true });
    }
  }

  /** Removes the sockets' directory. */
  dispose(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private async connected(accepted: Promise<net.Socket>, adapter: ProgramProcess): Promise<net.Socket> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        accepted,
        adapter.exited.then((exit) => {
          throw new Error(`${this.adapter.name} exited before it connected (${exit.signal ?? `status ${exit.code}`}); it needs version 1.25 or later`);
        }),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error(`${this.adapter.name} did not connect within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS)),
        ),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A directory only this user can enter (0700), so only this user's processes can dial its sockets; short, for the socket path limit. */
  private socketDir(): string {
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hotreload-dap-'));
    return this.dir;
  }
}
