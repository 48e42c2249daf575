/**
 * The build worker: one esbuild context for a session's Node program, rebuilt on each command. It
 * runs on the user's `node`, under the engine's supervisor, and loads the project's esbuild (or
 * the one installed in the user's cache), so nothing of the project's runs in the engine. Commands
 * arrive on the control descriptor and answers leave on the notify descriptor, one JSON line each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildContext, BuildFailure, Message } from 'esbuild';
import { readControlLines } from '../controlLines';
import { externalPackages } from './externals';
import type { BuildMessage, WorkerCommand, WorkerConfig, WorkerEvent } from './protocol';

/** Notify lines must stay under the supervisor's 64 KB: paths go in chunks. */
const CHUNK_CHARS = 48 * 1024;
/** A build reports at most this many messages. */
const MAX_MESSAGES = 50;

type Esbuild = typeof import('esbuild');

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const notifyFd = Number(process.env.HOTRELOAD_NOTIFY_FD);
const controlFd = Number(process.env.HOTRELOAD_CONTROL_FD);

function send(event: WorkerEvent): void {
  fs.writeSync(notifyFd, `${JSON.stringify(event)}\n`);
}

class Worker {
  private context: BuildContext<{ metafile: true; write: false }> | undefined;
  private configStamp = '';
  private queue = Promise.resolve();

  constructor(private readonly esbuild: Esbuild) {}

  command(command: WorkerCommand): void {
    if (command.op === 'cancel') void this.context?.cancel();
    else if (command.op === 'build') this.queue = this.queue.then(() => this.build(command.id, command.out));
  }

  private async build(id: number, out: string): Promise<void> {
    try {
      const context = await this.currentContext();
      const result = await context.rebuild();
      for (const file of result.outputFiles) {
        const target = file.path.endsWith('.map') ? `${out}.map` : out;
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        fs.writeFileSync(target, file.contents);
      }
      this.sendInputs(id, Object.keys(result.metafile.inputs));
      this.sendMessages(id, result.warnings, 'warning');
      send({ event: 'built', id, ok: true });
    } catch (err) {
      const failure = err as Partial<BuildFailure>;
      if (Array.isArray(failure.errors)) {
        const cancelled = failure.errors.some((e) => /cancel/i.test(e.text)) && failure.errors.length === 1;
        this.sendMessages(id, failure.errors, 'error');
        this.sendMessages(id, failure.warnings ?? [], 'warning');
        send({ event: 'built', id, ok: false, cancelled });
      } else {
        send({ event: 'built', id, ok: false, error: (err as Error).stack ?? String(err) });
      }
    }
  }

  /** The context, made again when package.json or tsconfig.json changed since it was made. */
  private async currentContext(): Promise<BuildContext<{ metafile: true; write: false }>> {
    const stamp = config.configFiles.map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0).join(',');
    if (this.context && stamp === this.configStamp) return this.context;
    await this.context?.dispose();
    this.configStamp = stamp;
    this.context = await this.esbuild.context({
      entryPoints: [config.entry],
      absWorkingDir: config.root,
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node}`,
      format: config.format,
      outfile: config.outfile,
      sourcemap: 'linked',
      keepNames: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [externalPackages(config.format, config.fallbacks)],
    });
    return this.context;
  }

  private sendInputs(id: number, inputs: string[]): void {
    let chunk: string[] = [];
    let size = 0;
    for (const input of inputs) {
      const file = path.resolve(config.root, input);
      if (size + file.length > CHUNK_CHARS) {
        send({ event: 'inputs', id, files: chunk });
        chunk = [];
        size = 0;
      }
      chunk.push(file);
      size += file.length + 3;
    }
    send({ event: 'inputs', id, files: chunk });
  }

  private sendMessages(id: number, messages: Message[], severity: BuildMessage['severity']): void {
    for (const message of messages.slice(0, MAX_MESSAGES)) send({ event: 'message', id, severity, ...toBuildMessage(message) });
  }
}

function toBuildMessage(message: Message): Omit<BuildMessage, 'severity'> {
  const at = (location: Message['location']) =>
    location ? { file: path.resolve(config.root, location.file), line: location.line, column: location.column + 1 } : {};
  const text = message.pluginName && message.pluginName !== 'hotreload-external-packages' ? `[${message.pluginName}] ${message.text}` : message.text;
  return {
    text: text.slice(0, 2000),
    ...at(message.location),
    notes: message.notes.slice(0, 5).map((n) => ({ text: n.text.slice(0, 1000), ...at(n.location) })),
  };
}

function listen(worker: Worker): void {
  // The engine is gone: so is the worker (and esbuild's service with it).
  readControlLines(
    controlFd,
    (line) => worker.command(JSON.parse(line) as WorkerCommand),
    () => process.exit(0),
  );
}

function main(): void {
  let esbuild: Esbuild;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    esbuild = require(config.esbuild) as Esbuild;
  } catch (err) {
    send({ event: 'failed', error: `cannot load esbuild from ${config.esbuild}: ${(err as Error).message}` });
    process.exit(1);
  }
  if (typeof esbuild.context !== 'function') {
    send({ event: 'failed', error: `esbuild ${esbuild.version} at ${config.esbuild} has no context API: Hot Reload needs esbuild 0.17 or later` });
    process.exit(1);
  }
  const worker = new Worker(esbuild);
  listen(worker);
  send({ event: 'ready', node: process.versions.node, esbuild: esbuild.version });
}

main();
