import * as path from 'node:path';
import type { Disposable } from '../../kernel/disposable';
import type { ProcessHost } from '../../processes/processHost';
import type { SupervisedProcess } from '../../processes/supervisor/supervisedProcess';
import type { BuildMessage, WorkerCommand, WorkerConfig, WorkerEvent } from '../../../runtime/node/build/protocol';
import { locateDecoratorCompiler } from './decoratorCompiler';
import { locateEsbuild } from './esbuildLocator';
import { runtimeFile } from './runtimeFiles';
import { readSourceSet, type SourceSet } from './sourceSet';

export type BundleResult =
  { kind: 'ok'; inputs: string[]; warnings: BuildMessage[] } | { kind: 'failed'; messages: BuildMessage[]; error?: string } | { kind: 'cancelled' };

export interface BundlerOptions {
  /** The file the program starts from; absent when a run command starts it (the whole tree is built). */
  entry?: string;
  packageRoot: string;
  /** The contexts' output folder: every build writes its tree at this depth. */
  outdir: string;
  env: NodeJS.ProcessEnv;
}

interface Pending {
  inputs: string[];
  messages: BuildMessage[];
  resolve(result: BundleResult): void;
}

/** The worker's notify descriptor, then its control descriptor (no listeners before them). */
const WORKER_FDS = { HOTRELOAD_NOTIFY_FD: '3', HOTRELOAD_CONTROL_FD: '4' };

/**
 * A session's build, kept in a build worker (src/runtime/node/build/worker.ts) that runs on the
 * user's `node` under the session's supervisor, started with the first build and again after it
 * dies. Each build reads the sources again (sourceSet.ts: a new file is built at once) and tells
 * them to the worker, which writes the tree; builds are numbered, and the worker answers each with
 * its inputs and messages.
 */
export class Bundler implements Disposable {
  private worker: Promise<SupervisedProcess> | undefined;
  /** The worker process of `worker`, once spawned. */
  private current: SupervisedProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  /** The files the last build read (absolute); undefined before a good build and after a failed one. */
  inputs: ReadonlySet<string> | undefined;
  /** What the worker said when it started: the Node and esbuild versions. */
  versions: { node: string; esbuild: string; source: string; decorators?: string } | undefined;

  /** The sources of the last build. */
  sources: SourceSet | undefined;
  /** Whether the worker was started with a decorator compiler looked for (a tsconfig that asks for metadata). */
  private decorators = false;

  constructor(
    private readonly options: BundlerOptions,
    private readonly host: ProcessHost,
    /** Whether the host is the bundler's own (a builder made without a session's), to shut down with it. */
    private readonly ownsHost = false,
  ) {}

  /** Builds the tree beside `out` (in its folder) and makes `out` a link to the entry's module (to the tree without an entry). */
  async build(out: string, signal: AbortSignal): Promise<BundleResult> {
    if (signal.aborted) return { kind: 'cancelled' };
    const sources = readSourceSet(this.options.packageRoot, this.options.entry);
    this.sources = sources;
    if (sources.decoratorMetadata && !this.decorators) this.stopWorker();
    let worker: SupervisedProcess;
    try {
      worker = await this.start(signal);
    } catch (err) {
      return { kind: 'failed', messages: [], error: (err as Error).message };
    }
    const id = this.nextId++;
    const result = new Promise<BundleResult>((resolve) => this.pending.set(id, { inputs: [], messages: [], resolve }));
    const cancel = () => command(worker, { op: 'cancel', id });
    signal.addEventListener('abort', cancel, { once: true });
    command(worker, { op: 'build', id, out, main: this.options.entry, layout: sources.layout, sources: sources.files });
    try {
      const outcome = await result;
      // Cancelled while the worker wrote the tree: the session deletes its folder, which may fail the writing.
      if (signal.aborted && outcome.kind !== 'ok') return { kind: 'cancelled' };
      if (outcome.kind === 'ok') this.inputs = new Set(outcome.inputs);
      else if (outcome.kind === 'failed') this.inputs = undefined;
      return outcome;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stopWorker();
    if (this.ownsHost) this.host.dispose();
  }

  private stopWorker(): void {
    this.current = undefined;
    void this.worker?.then(
      (w) => w.stop('SIGKILL', 0),
      () => undefined,
    );
    this.worker = undefined;
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
    const { config, esbuildSource } = await this.workerConfig(signal);
    const { worker, outputTail } = await this.launch(config);
    await this.untilReady(worker, { config, esbuildSource, outputTail });
    return worker;
  }

  /** Which esbuild (and decorator compiler) the worker loads, and where it builds. */
  private async workerConfig(signal: AbortSignal): Promise<{ config: WorkerConfig; esbuildSource: string }> {
    const { options } = this;
    const esbuild = await locateEsbuild(options.packageRoot, this.host, signal);
    if (esbuild.kind === 'missing') throw new Error(esbuild.message);
    this.decorators = this.sources?.decoratorMetadata === true;
    const decorators = this.decorators ? await locateDecoratorCompiler(options.packageRoot, this.host, signal) : {};
    const config: WorkerConfig = {
      esbuild: esbuild.path,
      root: options.packageRoot,
      outdir: options.outdir,
      fallbacks: { '@hotreload/node': runtimeFile('hotreload.ts') },
      configFiles: ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => path.join(options.packageRoot, f)),
      decorators: decorators.compiler,
      decoratorsMissing: decorators.problem,
    };
    return { config, esbuildSource: esbuild.kind === 'project' ? "the project's" : `installed in ${esbuild.path}` };
  }

  /** Starts the worker under the supervisor, keeping the tail of its output for the sentence its exit is told in. */
  private async launch(config: WorkerConfig): Promise<{ worker: SupervisedProcess; outputTail: () => string }> {
    const { options } = this;
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
    this.current = worker;
    let output = '';
    worker.onOutput((_stream, data) => (output = (output + data.toString('utf8')).slice(-16 * 1024)));
    try {
      await worker.started;
    } catch (err) {
      const message = `cannot run node for esbuild: ${(err as Error).message}. Install Node.js 18 or later and make sure \`node --version\` works in a terminal`;
      throw new Error(message, { cause: err });
    }
    return { worker, outputTail: () => output.trim() };
  }

  /** Resolves on the worker's ready line; its exit fails what it was building. */
  private untilReady(worker: SupervisedProcess, started: { config: WorkerConfig; esbuildSource: string; outputTail: () => string }): Promise<void> {
    const { config, esbuildSource, outputTail } = started;
    return new Promise<void>((resolve, reject) => {
      worker.onNotify((line) => {
        const event = parse(line);
        if (event?.event === 'ready') {
          this.versions = {
            node: event.node,
            esbuild: event.esbuild,
            source: esbuildSource,
            decorators: config.decorators && `${config.decorators.kind === 'swc' ? 'SWC' : 'TypeScript'} ${config.decorators.version}`,
          };
          resolve();
        } else if (event?.event === 'failed') reject(new Error(event.error));
        else if (event) this.onEvent(event);
      });
      void worker.exited.then((exit) => {
        const output = outputTail();
        const why = `the esbuild worker exited (${exit.signal ?? `status ${exit.code}`})${output ? `: ${output.split('\n').slice(-5).join('\n')}` : ''}`;
        reject(new Error(why));
        this.workerGone(worker, why);
      });
    });
  }

  private workerGone(worker: SupervisedProcess, why: string): void {
    // A worker stopped to be started again (with a decorator compiler) is not the current one.
    if (this.current !== worker) return;
    this.current = undefined;
    if (this.worker && !this.disposed) this.worker = undefined;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.resolve({ kind: 'failed', messages: [], error: why });
    }
  }

  private onEvent(event: Exclude<WorkerEvent, { event: 'ready' | 'failed' }>): void {
    const pending = this.pending.get(event.id);
    if (!pending) return;
    if (event.event === 'inputs') pending.inputs.push(...event.files);
    else if (event.event === 'message') {
      const { event: _event, id: _id, ...message } = event;
      pending.messages.push(message);
    } else if (event.event === 'built') {
      this.pending.delete(event.id);
      const warnings = pending.messages.filter((m) => m.severity === 'warning');
      if (event.cancelled === true) pending.resolve({ kind: 'cancelled' });
      else if (event.ok) pending.resolve({ kind: 'ok', inputs: pending.inputs, warnings });
      else pending.resolve({ kind: 'failed', messages: pending.messages, error: event.error });
    }
  }
}

/** One command to the worker, as one line on its control descriptor. */
function command(worker: SupervisedProcess, command: WorkerCommand): void {
  worker.control(JSON.stringify(command));
}

/** A notify line of the worker's (ours, from the same source tree: src/runtime/node/build/worker.ts). */
function parse(line: string): WorkerEvent | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && typeof (value as { event?: unknown }).event === 'string' ? (value as WorkerEvent) : undefined;
  } catch {
    return undefined;
  }
}
