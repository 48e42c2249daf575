import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { Disposable } from '../../kernel/disposable';
import { readProcStat } from '../processTree';
import { newToken, removeRecord, writeRecord } from '../runRecords';
import { LocalTransport } from '../transports/local';
import type { Transport } from '../transports/transport';
import { findSupervisor, platformOf } from './binary';
import { encodeInput, encodeJson, FRAME_FILE, FRAME_JSON, type Frame } from './frames';
import { HelloChannel } from './hello';
import { decodeEvent, isProcessEvent, type SupervisorEvent, type SupervisorRequest } from './protocol';
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
  /** `env` laid over the supervisor's own environment (a container's, a remote user's) instead of replacing it. */
  inheritEnv?: boolean;
  /** How it is stopped when the supervisor shuts down. */
  stopSignal?: NodeJS.Signals;
  graceMs?: number;
}

/** A supervisor that has said hello. */
interface Greeted {
  child: ChildProcess;
  platform: { os: string; arch: string; version: string };
  log: (message: string) => void;
  /** Where the supervisor may write on its target (remote targets), absolute there. */
  workDir?: string;
}

/** How often a remote supervisor hears from the engine (its watchdog stops everything after 5 s of silence). */
const PING_MS = 1000;

/**
 * The engine's end of its supervisor: the parent of every process a session runs. One channel
 * (the supervisor's stdin and stdout) only the engine holds; the supervisor dies with the engine
 * and then stops everything it runs.
 */
export class Supervisor implements Disposable {
  private readonly processes = new Map<number, SupervisedProcess>();
  private readonly lostListeners: ((err: Error) => void)[] = [];
  private shuttingDown = false;
  private readonly pendingFiles = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private readonly listens = new Map<string, { resolve: (address: { host: string; port: number }) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private gone: Error | undefined;
  readonly exited: Promise<void>;

  private readonly child: ChildProcess;
  readonly pid: number;
  readonly platform: Greeted['platform'];
  private readonly log: (message: string) => void;
  readonly workDir?: string;

  private constructor(greeted: Greeted) {
    this.child = greeted.child;
    this.pid = greeted.child.pid!;
    this.platform = greeted.platform;
    this.log = greeted.log;
    this.workDir = greeted.workDir;
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /**
   * Starts a supervisor on a target (this machine by default) and waits for its hello. On another
   * target the supervisor built for its platform is placed there first, and the channel is kept
   * alive with pings (a broken network shows no end of file; the far side's watchdog then stops
   * everything).
   */
  static async start(log: (message: string) => void = () => undefined, transport: Transport = new LocalTransport()): Promise<Supervisor> {
    const target = await transport.platform();
    const binary = await findSupervisor(platformOf(target.goos, target.goarch));
    const installed = await transport.install(binary);
    const token = newToken();
    const child = transport.start(installed.binary, installed.workDir, { HOTRELOAD_SUPERVISOR_TOKEN: token });
    const channel = new HelloChannel(child, transport.label, log);
    const { os, arch, version } = await channel.hello;
    const supervisor = new Supervisor({ child, platform: { os, arch, version }, log, workDir: installed.workDir });
    channel.route((frame) => supervisor.dispatch(frame));
    if (transport.kind === 'local') recordOwnership(supervisor.pid, token);
    else {
      const pings = setInterval(() => supervisor.send({ op: 'ping' }), PING_MS);
      void supervisor.exited.then(() => clearInterval(pings));
    }
    child.once('exit', (code, signal) => supervisor.lost(new Error(channel.exitText('exited', code, signal))));
    return supervisor;
  }

  /** Writes a file where the supervisor runs (inside its work dir), under a temporary name until complete. */
  async upload(localFile: string, remotePath: string, mode = 0o700): Promise<void> {
    if (this.gone) throw this.gone;
    const id = this.nextId++;
    const written = new Promise<void>((resolve, reject) => this.pendingFiles.set(id, { resolve, reject }));
    this.send({ op: 'file', id, path: remotePath, mode });
    for await (const chunk of fs.createReadStream(localFile, { highWaterMark: 256 * 1024 })) {
      if (!this.write(encodeInput(id, chunk as Buffer, FRAME_FILE))) await new Promise((r) => this.child.stdin!.once('drain', r));
    }
    this.send({ op: 'fileEnd', id });
    await written;
  }

  /** Deletes a path inside the supervisor's work dir. */
  remove(remotePath: string): void {
    this.send({ op: 'remove', path: remotePath });
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
      inheritEnv: spec.inheritEnv,
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

  /** Stops everything it runs (each with its own signal, at most `graceMs`), then ends it; `remove` empties its work dir too. */
  async shutdown(graceMs: number, remove = false): Promise<void> {
    this.shuttingDown = true;
    if (!this.gone) {
      this.send({ op: 'shutdown', graceMs, remove });
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

  private send(message: SupervisorRequest): void {
    this.write(encodeJson(message));
  }

  /** False when the channel is full (wait for 'drain') or gone. */
  private write(frame: Buffer): boolean {
    if (this.gone || !this.child.stdin?.writable) return false;
    return this.child.stdin.write(frame);
  }

  private dispatch(frame: Frame): void {
    if (frame.kind !== FRAME_JSON) {
      this.processes.get(frame.id)?.output(frame.stream, frame.data);
      return;
    }
    const decoded = decodeEvent(frame.message);
    if (!decoded.ok) this.log(`supervisor: ignoring a message this engine cannot read (${decoded.error})`);
    else this.handle(decoded.message);
  }

  private handle(m: SupervisorEvent): void {
    if (isProcessEvent(m)) {
      this.processes.get(m.id)?.handle(m);
      return;
    }
    switch (m.event) {
      case 'fileWritten':
      case 'fileFailed': {
        const pending = this.pendingFiles.get(m.id);
        this.pendingFiles.delete(m.id);
        if (m.event === 'fileWritten') pending?.resolve();
        else pending?.reject(new Error(`cannot write ${m.error}`));
        break;
      }
      case 'listening':
      case 'listenFailed': {
        const pending = this.listens.get(m.name);
        this.listens.delete(m.name);
        if (m.event === 'listening') pending?.resolve({ host: m.host, port: m.port });
        else pending?.reject(Object.assign(new Error(m.error), { code: m.errorCode || undefined }));
        break;
      }
      case 'error':
        this.log(`supervisor: ${m.error}`);
        break;
    }
  }

  /** Calls `listener` when the supervisor goes away unasked, before its processes are finished. */
  onLost(listener: (err: Error) => void): void {
    this.lostListeners.push(listener);
  }

  private lost(err: Error): void {
    if (this.gone) return;
    this.gone = err;
    if (!this.shuttingDown) for (const listener of this.lostListeners) listener(err);
    for (const p of this.processes.values()) p.finish({ code: null, signal: 'SIGKILL', error: err.message });
    for (const pending of this.listens.values()) pending.reject(err);
    this.listens.clear();
    for (const pending of this.pendingFiles.values()) pending.reject(err);
    this.pendingFiles.clear();
    removeRecord(this.pid);
  }
}

/** The run record that lets a later engine stop this supervisor's processes once this one is gone (and only then). */
function recordOwnership(pid: number, token: string): void {
  writeRecord({
    pid,
    startTime: readProcStat(pid)?.startTime ?? 0,
    token,
    enginePid: process.pid,
    engineStartTime: readProcStat(process.pid)?.startTime ?? 0,
  });
}
