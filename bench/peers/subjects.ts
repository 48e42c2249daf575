/**
 * What the peers benchmark measures: subjects, each a running copy of one program reloaded by one
 * tool (Hot Reload with a strategy, a peer tool with its usual command line, or a developer by
 * hand), each on a port of its own. A reload writes the program's greeting and times the first
 * response that shows it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSession, type PartialSettings } from '../../src/engine';
import { freePort } from '../../test/support/ports';
import { killGroup, killProcessesUnder } from '../../test/support/processes';
import { waitForBody } from '../poll';

export interface Program {
  name: string;
  /** A fresh copy of the program (its own folder). */
  make(): string;
  /** Writes the change that makes `/` answer `text`. */
  edit(dir: string, text: string): void;
  /** What `/` answers before any edit. */
  initial: string;
  /** Milliseconds a first start may take (a cold build). */
  startTimeoutMs: number;
}

export interface Subject {
  name: string;
  kind: 'hotreload' | 'peer' | 'by hand';
  dir: string;
  port: number;
  /** Save → first new response, per round. */
  times: number[];
  load?: { ok: number; failed: number };
  reload(text: string): Promise<number>;
  stop(): Promise<void>;
}

/** The common part: edit, then wait for the body (`before` runs between the edit and the wait, by hand's build). */
function subject(p: Program, fields: Pick<Subject, 'name' | 'kind' | 'dir' | 'port' | 'stop'>, before?: () => Promise<void>): Subject {
  return {
    ...fields,
    times: [],
    async reload(text) {
      const t0 = Date.now();
      p.edit(fields.dir, text);
      await before?.();
      return (await waitForBody(fields.port, text, 120_000)) - t0;
    },
  };
}

export async function hotReload(p: Program, name: string, settings: PartialSettings): Promise<Subject> {
  const dir = p.make();
  const port = await freePort();
  const { session, problems } = await openSession(dir, [{ ...settings, env: { PORT: String(port) }, gracePeriodMs: 3000, drainTimeoutMs: 3000 }]);
  if (!session) throw new Error(`${name}: ${JSON.stringify(problems)}`);
  await session.start();
  await waitForBody(port, p.initial, p.startTimeoutMs);
  return subject(p, { name, kind: 'hotreload', dir, port, stop: () => session.dispose() });
}

export interface PeerCommand {
  name: string;
  command: string;
  args: string[];
  /** Runs in the copy before the tool starts (air's `air init`). */
  prepare?: (dir: string) => void;
  /** A copy of the program as this tool needs it (NestJS with SWC installed). */
  make?: () => string;
}

/** A peer tool: `command args` in the program's folder, in a process group of its own. */
export async function peer(p: Program, { name, command, args, prepare, make }: PeerCommand): Promise<Subject> {
  const dir = (make ?? p.make)();
  prepare?.(dir);
  const port = await freePort();
  const child: ChildProcess = spawn(command, args, { cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    killGroup(child.pid, 'SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    // Some tools run the program in a process group of its own (air): what runs from the copy goes too.
    killProcessesUnder(dir);
  };
  try {
    await waitForBody(port, p.initial, p.startTimeoutMs);
  } catch (err) {
    await stop();
    throw new Error(`${name} did not serve: ${(err as Error).message}`, { cause: err });
  }
  return subject(p, { name, kind: 'peer', dir, port, stop });
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => execFile(command, args, { cwd }, (err) => (err ? reject(new Error(err.message)) : resolve())));
}

/** By hand, for Go: `go build` with Go's defaults, stop the old process, start the new one. */
export async function byHand(p: Program): Promise<Subject> {
  const dir = p.make();
  const port = await freePort();
  const out = path.join(dir, '.by-hand');
  let server: ChildProcess | undefined;
  const start = () => {
    server = spawn(out, [], { cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
  };
  const stopServer = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(child.pid, 'SIGTERM');
    await exited;
  };
  await run('go', ['build', '-o', out, '.'], dir);
  start();
  await waitForBody(port, p.initial, p.startTimeoutMs);
  const stop = async () => {
    await stopServer();
    fs.rmSync(out, { force: true });
  };
  return subject(p, { name: 'by hand: go build + restart', kind: 'by hand', dir, port, stop }, async () => {
    await run('go', ['build', '-o', out, '.'], dir);
    await stopServer();
    start();
  });
}
