/**
 * An editor as the language server sees it: the real server process over JSON-RPC, opening,
 * typing into and saving buffers as VS Code does (didOpen, incremental didChange, didSave), with
 * everything the server sends recorded. Used by the integration tests and the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { LogNotification, OutputNotification, ReportNotification, ServicesNotification, StartRequest, StateNotification } from '../../src/protocol';
import { repoRoot } from '../support/examples';

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: { message: string; range: { start: { line: number } } }[];
}

export class EditorClient {
  readonly states: StateNotification.Params[] = [];
  readonly reports: ReportNotification.Params[] = [];
  /** A folder running several services: what the engine last said of them. */
  readonly services: ServicesNotification.Params[] = [];
  /** The programs' output as the terminals get it. */
  readonly outputs: OutputNotification.Params[] = [];
  readonly diagnostics: PublishedDiagnostics[] = [];
  /** The engine's log lines. */
  readonly logs: string[] = [];
  /** The selectors the server registered for didOpen/didChange/didClose. */
  readonly registrations: { method: string; registerOptions: unknown }[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  private constructor(
    readonly server: ChildProcess,
    readonly connection: MessageConnection,
    readonly folder: string,
  ) {}

  /** Starts the built server (dist/server.js) and initialises it for `dir` as VS Code would. */
  static async start(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<EditorClient> {
    const server = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env });
    const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const client = new EditorClient(server, connection, URI.file(dir).toString());
    connection.onNotification(StateNotification.type, (p) => client.states.push(p));
    connection.onNotification(ReportNotification.type, (p) => client.reports.push(p));
    connection.onNotification(ServicesNotification.type, (p) => client.services.push(p));
    connection.onNotification(OutputNotification.type, (p) => client.outputs.push(p));
    connection.onNotification(LogNotification.type, (p) => client.logs.push(`${p.level}: ${p.message}`));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => client.diagnostics.push(p));
    connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions: unknown }[] }) => {
      client.registrations.push(...p.registrations);
      return null;
    });
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: client.folder,
      capabilities: { textDocument: { synchronization: { dynamicRegistration: true, didSave: true } } },
      workspaceFolders: [{ uri: client.folder, name: path.basename(dir) }],
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  async startFolder(values: Record<string, unknown>): Promise<StartRequest.Result> {
    return this.connection.sendRequest(StartRequest.type, { folder: this.folder, values });
  }

  /** Opens a buffer with the file's text on disk. */
  async open(file: string): Promise<void> {
    const text = fs.readFileSync(file, 'utf8');
    this.texts.set(file, text);
    this.versions.set(file, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI.file(file).toString(), languageId: 'go', version: 1, text } });
  }

  /** Replaces the buffer's text, as one incremental edit over the whole text. */
  async type(file: string, text: string): Promise<void> {
    const old = this.texts.get(file);
    if (old === undefined) throw new Error(`${file} is not open`);
    const lines = old.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    this.texts.set(file, text);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI.file(file).toString(), version },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text }],
    });
  }

  /** Writes the buffer to disk and says so, as an editor's save does. */
  async save(file: string): Promise<void> {
    fs.writeFileSync(file, this.texts.get(file) ?? fs.readFileSync(file, 'utf8'));
    await this.connection.sendNotification('textDocument/didSave', { textDocument: { uri: URI.file(file).toString() } });
  }

  /** Stops the server the way VS Code does; it stops its programs first. */
  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
      await new Promise((resolve) => (this.server.exitCode !== null ? resolve(null) : this.server.once('exit', resolve)));
    } finally {
      this.connection.dispose();
      this.server.kill('SIGKILL');
    }
  }
}

/** The pids of the background (`go build -overlay`) builds running in a project folder, from /proc. */
export function backgroundBuilds(dir: string): number[] {
  const real = fs.realpathSync(dir);
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('-overlay=') && fs.readlinkSync(`/proc/${pid}/cwd`) === real) pids.push(pid);
    } catch {
      /* gone */
    }
  }
  return pids;
}

/** The nice value of a process's scheduler autogroup (its session), when the kernel has autogroups. */
export function autogroupNiceOf(pid: number): number | undefined {
  try {
    return Number(/nice (-?\d+)/.exec(fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

/** A process's nice value (field 19 of /proc/<pid>/stat). */
export function niceOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
