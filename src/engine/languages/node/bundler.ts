import * as path from 'node:path';
import type { Disposable } from '../../kernel/disposable';
import type { ProcessHost } from '../../processes/processHost';
import type { SupervisedProcess } from '../../processes/supervisor/supervisedProcess';
import { locateEsbuild } from './esbuildLocator';
import { runtimeFile } from './runtimeFiles';

/** One esbuild message, as the worker reports it (src/runtime/node/build/protocol.ts). */
export interface BundleMessage {
  severity: 'error' | 'warning';
  text: string;
  file?: string;
  line?: number;
  column?: number;
  notes: { text: string; file?: string; line?: number; column?: number }[];
}

export type BundleResult =
  { kind: 'ok'; inputs: string[]; warnings: BundleMessage[] } | { kind: 'failed'; messages: BundleMessage[]; error?: string } | { kind: 'cancelled' };

export interface BundlerOptions {
  entry: string;
  packageRoot: string;
  format: 'cjs' | 'esm';
  /** The context's output file: every build writes a file of this name at this depth. */
  outfile: string;
  env: NodeJS.ProcessEnv;
}

interface Pending {
  inputs: string[];
  messages: BundleMessage[];
  resolve(result: BundleResult): void;
}

/** The worker's notify descriptor, then its control descriptor (no listeners before them). */
const WORKER_FDS = { HOTRELOAD_NOTIFY_FD: '3', HOTRELOAD_CONTROL_FD: '4' };

/**
 * A session's esbuild context, kept in a build worker (src/runtime/node/build/worker.ts) that runs
 * on the user's `node` under the session's supervisor, started with the first build and again
 * after it dies. Builds are numbered; the worker answers each with its inputs and messages.
 */
export class Bundler implements Disposable {
  private worker: Promise<SupervisedProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  /** The files the last build read (absolute); undefined before a good build and after a failed one. */
  inputs: ReadonlySet<string> | undefined;
  /** What the worker said when it started: the Node and esbuild versions. */
  versions: { node: string; esbuild: string; source: string } | undefined;

  constructor(
    private readonly options: BundlerOptions,
    private readonly host: ProcessHost,
    /** Whether the host is the bundler's own (a builder made without a session's), to shut down with it. */
    private readonly ownsHost = false,
  ) {}

  async build(out: string, signal: AbortSignal): Promise<BundleResult> {
    if (signal.aborted) return { kind: 'cancelled' };
    let worker: SupervisedProcess;
    try {
      worker = await this.start(signal);
    } catch (err) {
      return { kind: 'failed', messages: [], error: (err as Error).message };
    }
    const id = this.nextId++;
    const result = new Promise<BundleResult>((resolve) => this.pending.set(id, { inputs: [], messages: [], resolve }));
    const cancel = () => worker.control(JSON.stringify({ op: 'cancel' }));
    signal.addEventListener('abort', cancel, { once: true });
    worker.control(JSON.stringify({ op: 'build', id, out }));
    try {
      const outcome = await result;
      if (outcome.kind === 'ok') this.inputs = new Set(outcome.inputs);
      else if (outcome.kind === 'failed') this.inputs = undefined;
      return outcome;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  dispose(): void {
    this.disposed = true;
    void this.worker?.then(
      (w) => w.stop('SIGKILL', 0),
      () => undefined,
    );
    this.worker = undefined;
    if (this.ownsHost) this.host.dispose();
  }

  private start(signal: AbortSignal): Promise<SupervisedProcess> {
    if (this.disposed) return Promise.reject(new Error('the session is stopping'));
    this.worker ??= this.spawn(signal).catch((err: unknown) => {
      this.worker = undefined;
      throw err;
    });
    return this.worker;
  }

  private async spawn(signal: AbortSignal): Promise<SupervisedProcess> {
    const { options } = this;
    const esbuild = await locateEsbuild(options.packageRoot, this.host, signal);
    if (esbuild.kind === 'missing') throw new Error(esbuild.message);
    const config = {
      esbuild: esbuild.path,
      entry: options.entry,
      root: options.packageRoot,
      format: options.format,
      outfile: options.outfile,
      fallbacks: { '@hotreload/node': runtimeFile('hotreload.ts') },
      configFiles: ['package.json', 'tsconfig.json'].map((f) => path.join(options.packageRoot, f)),
    };
    const supervisor = await this.host.supervisor();
    const worker = supervisor.spawn({
      path: 'node',
      args: [runtimeFile('buildWorker.js'), JSON.stringify(config)],
      env: { ...options.env, ...WORKER_FDS },
      cwd: options.packageRoot,
      channels: true,
      stopSignal: 'SIGKILL',
      graceMs: 0,
    });
    let output = '';
    worker.onOutput((_stream, data) => (output = (output + data.toString('utf8')).slice(-16 * 1024)));
    try {
      await worker.started;
    } catch (err) {
      throw new Error(
        `cannot run node for esbuild: ${(err as Error).message}. Install Node.js 18 or later and make sure \`node --version\` works in a terminal`,
        {
          cause: err,
        },
      );
    }
    const ready = new Promise<void>((resolve, reject) => {
      worker.onNotify((line) => {
        const event = parse(line);
        if (event?.event === 'ready') {
          this.versions = {
            node: String(event.node),
            esbuild: String(event.esbuild),
            source: esbuild.kind === 'project' ? "the project's" : `installed in ${esbuild.path}`,
          };
          resolve();
        } else if (event?.event === 'failed') reject(new Error(String(event.error)));
        else if (event) this.onEvent(event);
      });
      void worker.exited.then((exit) => {
        const why = `the esbuild worker exited (${exit.signal ?? `status ${exit.code}`})${output.trim() ? `: ${output.trim().split('\n').slice(-5).join('\n')}` : ''}`;
        reject(new Error(why));
        if (this.worker && !this.disposed) this.worker = undefined;
        for (const [id, pending] of this.pending) {
          this.pending.delete(id);
          pending.resolve({ kind: 'failed', messages: [], error: why });
        }
      });
    });
    await ready;
    return worker;
  }

  private onEvent(event: Record<string, unknown>): void {
    const pending = this.pending.get(Number(event.id));
    if (!pending) return;
    if (event.event === 'inputs' && Array.isArray(event.files)) pending.inputs.push(...event.files.map(String));
    else if (event.event === 'message') pending.messages.push(event as unknown as BundleMessage);
    else if (event.event === 'built') {
      this.pending.delete(Number(event.id));
      const warnings = pending.messages.filter((m) => m.severity === 'warning');
      if (event.cancelled === true) pending.resolve({ kind: 'cancelled' });
      else if (event.ok === true) pending.resolve({ kind: 'ok', inputs: pending.inputs, warnings });
      else pending.resolve({ kind: 'failed', messages: pending.messages, error: typeof event.error === 'string' ? event.error : undefined });
    }
  }
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
