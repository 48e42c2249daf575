/**
 * The build worker: a session's Node program built as a tree of modules (treeBuild.ts), rebuilt
 * on each command with incremental esbuild contexts. It runs on the user's `node`, under the
 * engine's supervisor, and loads the project's esbuild (or the one installed in the user's cache),
 * and the decorator compiler the engine found, so nothing of the project's runs in the engine.
 * Commands arrive on the control descriptor and answers leave on the notify descriptor, one JSON
 * line each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Message } from 'esbuild';
import { readControlLines } from '../controlLines';
import { DecoratorMetadata } from './decorators';
import type { BuildMessage, WorkerCommand, WorkerConfig, WorkerEvent } from './protocol';
import { TreeBuild, TreeBuildFailure } from './treeBuild';

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
  private readonly tree: TreeBuild;
  private queue = Promise.resolve();
  /** The build under way. */
  private running: number | undefined;

  constructor(esbuild: Esbuild) {
    this.tree = new TreeBuild(esbuild, config, new DecoratorMetadata(config.decorators, config.decoratorsMissing));
  }

  command(command: WorkerCommand): void {
    if (command.op === 'cancel') {
      if (command.id === this.running) this.tree.cancel();
    } else if (command.op === 'build') this.queue = this.queue.then(() => this.build(command));
  }

  private async build(command: Extract<WorkerCommand, { op: 'build' }>): Promise<void> {
    const { id } = command;
    this.running = id;
    try {
      const result = await this.tree.build(command.sources, command.layout, command.out, command.main);
      this.sendInputs(id, result.inputs);
      this.sendMessages(id, result.warnings, 'warning');
      send({ event: 'built', id, ok: true });
    } catch (err) {
      if (err instanceof TreeBuildFailure) {
        const cancelled = err.errors.length === 1 && /cancel/i.test(err.errors[0].text);
        this.sendMessages(id, err.errors, 'error');
        this.sendMessages(id, err.warnings, 'warning');
        send({ event: 'built', id, ok: false, cancelled });
      } else {
        send({ event: 'built', id, ok: false, error: (err as Error).stack ?? String(err) });
      }
    } finally {
      this.running = undefined;
    }
  }

  private sendInputs(id: number, inputs: string[]): void {
    let chunk: string[] = [];
    let size = 0;
    for (const file of inputs) {
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
  const text = message.pluginName && !message.pluginName.startsWith('hotreload-') ? `[${message.pluginName}] ${message.text}` : message.text;
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
