/**
 * The pieces the services benchmark's subjects share: a subject (a running copy of
 * examples/services on ports of its own), the edit of the shared package, processes started in a
 * group of their own and marked in their environment (so each one can be found and ended), and
 * the db and the gateway the peers start beside their Go services.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../../test/support/examples';
import { tempDir } from '../../test/support/files';
import { accepts, freePort } from '../../test/support/ports';
import { killGroup, killProcessesUnder, killProcessesWithEnv, processesWithEnv } from '../../test/support/processes';
import { eventually } from '../../test/support/waiting';
import { firstResponse } from '../poll';

/** The environment entry every process a subject starts carries: how the last sweep finds them. */
const MARKER = 'HR_BENCH_SERVICES';

interface Ports {
  api: number;
  worker: number;
  gateway: number;
}

export interface ServicesSubject {
  name: string;
  kind: 'hotreload' | 'peer';
  /** The copy of examples/services it runs. */
  dir: string;
  ports: Ports;
  /** What runs between the edit and the wait (the by-hand script's builds and restarts). */
  afterEdit?: () => Promise<void>;
  stop(): Promise<void>;
}

/** A save of shared/greeting/greeting.go whose Text() returns `text`. */
export function setSharedGreeting(dir: string, text: string): void {
  fs.writeFileSync(
    path.join(dir, 'shared', 'greeting', 'greeting.go'),
    `// Package greeting is shared by the api and the worker: an edit here\n// rebuilds both in one go build, and both cut over together.\npackage greeting\n\n// Text is what both services answer with.\nfunc Text() string {\n\treturn ${JSON.stringify(text)}\n}\n`,
  );
}

/** What the api and the worker answer once they serve `text`. */
const answers = (text: string) => ({ api: `api: ${text}`, worker: `worker: ${text}` });

/** The first moment both the api and the worker answer `text` on their own ports. */
export async function bothServing(ports: Ports, text: string, timeoutMs: number): Promise<number> {
  const want = answers(text);
  const [api, worker] = await Promise.all([
    firstResponse(ports.api, (body) => body === want.api, timeoutMs),
    firstResponse(ports.worker, (body) => body === want.worker, timeoutMs),
  ]);
  return Math.max(api, worker);
}

/** Waits until the gateway answers with both services' text. */
export async function gatewayServing(port: number, timeoutMs = 30_000): Promise<void> {
  await firstResponse(port, (body) => body.startsWith('gateway | api: ') && body.includes(' | worker: '), timeoutMs);
}

/** `count` distinct free loopback ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/** What a peer subject starts: its copy, the marker its processes carry, and where their output goes. */
export class Launcher {
  readonly marker: string;
  readonly logs: string;
  private readonly procs: Proc[] = [];

  constructor(readonly dir: string) {
    this.marker = path.basename(dir);
    this.logs = path.join(dir, 'tmp', 'logs');
    fs.mkdirSync(this.logs, { recursive: true });
  }

  /** The environment of what it starts: the bench's, the marker, and `env`. */
  env(env: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, [MARKER]: this.marker, ...env };
  }

  /** `command args` in the copy, in a process group of its own, its output appended to tmp/logs/<name>.log. */
  start(name: string, command: string, args: string[], env: Record<string, string>): Proc {
    const out = fs.openSync(path.join(this.logs, `${name}.log`), 'a');
    const child = spawn(command, args, { cwd: this.dir, env: this.env(env), stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const proc = { name, child, exited };
    this.procs.push(proc);
    return proc;
  }

  /** `signal` to the process's group, then SIGKILL to it after `graceMs`; resolves once it exited. */
  async end(proc: Proc, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null || !proc.child.pid) return;
    killGroup(proc.child.pid, signal);
    const inTime = await Promise.race([proc.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
    if (!inTime) {
      killGroup(proc.child.pid, 'SIGKILL');
      await proc.exited;
    }
  }

  /** Ends every process it started (the last first), then sweeps what they left (air's programs, in groups of their own). */
  async endAll(): Promise<void> {
    for (const proc of [...this.procs].reverse()) await this.end(proc, 'SIGTERM', 3000);
    killProcessesWithEnv(`${MARKER}=${this.marker}`);
    killProcessesUnder(this.dir);
    await eventually(`the processes of ${this.dir} to be gone`, () => processesWithEnv(`${MARKER}=${this.marker}`).length === 0, {
      timeoutMs: 5000,
    });
  }

  /** The db: `node db/server.js` on `port`, awaited until it accepts connections. */
  async db(port: number): Promise<Proc> {
    const proc = this.start('db', process.execPath, ['db/server.js'], { PORT: String(port) });
    await eventually(`the db on port ${port}`, () => accepts(port), { timeoutMs: 30_000, intervalMs: 20 });
    return proc;
  }

  /** The gateway (bundled once, see bundleGateway) in front of the api and the worker, awaited until it answers. */
  async gateway(gatewayJs: string, ports: Ports): Promise<Proc> {
    const proc = this.start('gateway', process.execPath, [gatewayJs], {
      PORT: String(ports.gateway),
      API_URL: `http://127.0.0.1:${ports.api}/`,
      WORKER_URL: `http://127.0.0.1:${ports.worker}/`,
    });
    await gatewayServing(ports.gateway);
    return proc;
  }
}

/** examples/services/gateway/server.ts bundled with the repository's esbuild into a .js that node runs. */
export async function bundleGateway(): Promise<{ file: string; remove: () => void }> {
  const dir = tempDir('hr-services-gateway-');
  const file = path.join(dir, 'server.js');
  await build({
    entryPoints: [path.join(repoRoot, 'examples', 'services', 'gateway', 'server.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
