import { spawn, type ChildProcess } from 'node:child_process';
import type { Disposable } from '../../kernel/disposable';
import { readProcStat } from '../processTree';
import { newToken, removeRecord, writeRecord } from '../runRecords';
import { findSupervisor } from './binary';
import { encodeInput, encodeJson, FrameDecoder, FRAME_JSON } from './frames';
import { SupervisedProcess } from './supervisedProcess';

/** What to run under the supervisor. */
export interface SpawnSpec {
  path: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Listening sockets (by the name given to `listen`) passed as fds 3, 4, … */
  listeners?: string[];
  /** Notify and control pipes after the listeners (go/hotreload's HOTRELOAD_NOTIFY_FD and _CONTROL_FD). */
  channels?: boolean;
  /** LISTEN_PID set to the program's own pid (socket activation). */
  listenPid?: boolean;
  /** How it is stopped when the supervisor shuts down. */
  stopSignal?: NodeJS.Signals;
  graceMs?: number;
}

const HELLO_TIMEOUT_MS = 10_000;
const PROTOCOL = 1;

/**
 * The engine's end of its supervisor: the parent of every process a session runs. One channel
 * (the supervisor's stdin and stdout) only the engine holds; the supervisor dies with the engine
 * and then stops everything it runs.
 */
export class Supervisor implements Disposable {
  private readonly processes = new Map<number, SupervisedProcess>();
  private readonly listens = new Map<string, { resolve: (address: { host: string; port: number }) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private gone: Error | undefined;
  readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly platform: { os: string; arch: string; version: string },
    private readonly log: (message: string) => void,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts a supervisor and waits for its hello. */
  static async start(log: (message: string) => void = () => undefined): Promise<Supervisor> {
    const binary = await findSupervisor();
    const token = newToken();
    // Detached: a terminal's Ctrl+C reaches the engine, which stops things in order; the supervisor
    // learns of the engine's end by its death signal and the end of its channel.
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, HOTRELOAD_SUPERVISOR_TOKEN: token } });
    const decoder = new FrameDecoder();
    // Set once the hello is in: frames after it are the supervisor's to dispatch.
    const started: { supervisor?: Supervisor } = {};
    const hello = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the supervisor (${binary}) did not answer within ${HELLO_TIMEOUT_MS / 1000} s`)), HELLO_TIMEOUT_MS);
      child.once('error', (err) => (clearTimeout(timer), reject(new Error(`cannot start the supervisor ${binary}: ${err.message}`))));
      child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`the supervisor exited at once (${signal ?? `status ${code}`})`))));
      child.stdout.on('data', (chunk: Buffer) => {
        let frames;
        try {
          frames = decoder.push(chunk);
        } catch (err) {
          child.kill('SIGKILL');
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        for (const frame of frames) {
          if (!started.supervisor) {
            clearTimeout(timer);
            if (frame.kind === FRAME_JSON && frame.message.event === 'hello') resolve(frame.message);
            else reject(new Error('the supervisor did not start with hello'));
            continue;
          }
          started.supervisor.dispatch(frame);
        }
      });
    });
    child.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`supervisor: ${line}`);
    });
    const greeting = await hello;
    if (greeting.protocol !== PROTOCOL) {
      child.kill('SIGKILL');
      throw new Error(`the supervisor speaks protocol ${String(greeting.protocol)}, this engine ${PROTOCOL}: reinstall the extension`);
    }
    const supervisor = new Supervisor(child, child.pid!, { os: String(greeting.os), arch: String(greeting.arch), version: String(greeting.version) }, log);
    const self = readProcStat(process.pid);
    started.supervisor = supervisor;
    writeRecord({ pid: child.pid!, startTime: readProcStat(child.pid!)?.startTime ?? 0, token, enginePid: process.pid, engineStartTime: self?.startTime ?? 0 });
    child.once('exit', (code, signal) =>
      supervisor.lost(new Error(`the supervisor exited (${signal ?? `status ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`)),
    );
    return supervisor;
  }

  /** Runs a process; its `started` rejects with a clear sentence when it cannot start. */
  spawn(spec: SpawnSpec): SupervisedProcess {
    const id = this.nextId++;
    const process_ = new SupervisedProcess(id, { send: (m) => this.send(m), input: (pid, data) => this.write(encodeInput(pid, data)) });
    if (this.gone) {
      process_.finish({ code: null, signal: null, error: this.gone.message });
      return process_;
    }
    this.processes.set(id, process_);
    void process_.exited.then(() => this.processes.delete(id));
    const env = Object.entries(spec.env)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => `${k}=${v}`);
    this.send({
      op: 'spawn',
      id,
      path: spec.path,
      args: spec.args,
      env,
      dir: spec.cwd,
      listeners: spec.listeners,
      channels: spec.channels,
      listenPid: spec.listenPid,
      stopSignal: spec.stopSignal ?? 'SIGTERM',
      graceMs: spec.graceMs ?? 5000,
    });
    return process_;
  }

  /** A listening socket held by the supervisor for its whole life (never accepted on), passed to programs by name. */
  listen(name: string, address: string): Promise<{ host: string; port: number }> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => {
      this.listens.get(name)?.reject(new Error('superseded'));
      this.listens.set(name, { resolve, reject });
      this.send({ op: 'listen', name, address });
    });
  }

  unlisten(name: string): void {
    this.send({ op: 'unlisten', name });
  }

  /** Stops everything it runs (each with its own signal, at most `graceMs`), then ends it. */
  async shutdown(graceMs: number): Promise<void> {
    if (!this.gone) {
      this.send({ op: 'shutdown', graceMs });
      this.child.stdin?.end();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, graceMs + 5000)))]);
    clearTimeout(timer);
    if (!this.gone) this.child.kill('SIGKILL');
    await this.exited;
    removeRecord(this.pid);
  }

  dispose(): void {
    void this.shutdown(1000);
  }

  /** For exit handlers, where nothing asynchronous runs any more: the supervisor stops everything on its own. */
  killSync(): void {
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }

  private send(message: object): void {
    this.write(encodeJson(message));
  }

  private write(frame: Buffer): void {
    if (this.gone || !this.child.stdin?.writable) return;
    this.child.stdin.write(frame);
  }

  private dispatch(frame: ReturnType<FrameDecoder['push']>[number]): void {
    if (frame.kind !== FRAME_JSON) {
      this.processes.get(frame.id)?.output(frame.stream, frame.data);
      return;
    }
    const m = frame.message;
    if (typeof m.id === 'number' && this.processes.has(m.id)) {
      this.processes.get(m.id)!.handle(m);
      return;
    }
    if (m.event === 'listening' || m.event === 'listenFailed') {
      const pending = this.listens.get(String(m.name));
      this.listens.delete(String(m.name));
      if (m.event === 'listening') pending?.resolve({ host: String(m.host), port: Number(m.port) });
      else pending?.reject(Object.assign(new Error(String(m.error)), { code: m.errorCode || undefined }));
      return;
    }
    if (m.event === 'error') this.log(`supervisor: ${String(m.error)}`);
  }

  private lost(err: Error): void {
    if (this.gone) return;
    this.gone = err;
    for (const p of this.processes.values()) p.finish({ code: null, signal: 'SIGKILL', error: err.message });
    for (const pending of this.listens.values()) pending.reject(err);
    this.listens.clear();
    removeRecord(this.pid);
  }
}
