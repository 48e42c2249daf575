/**
 * Faster than by hand? Per program (examples/hello, examples/handoff, the generated 60-package
 * program), in one run with the rounds interleaved (the order rotates each round) and each ratio
 * taken within its round:
 *
 * - floor: what a developer does by hand, `go build` with Go's default flags, stop the old
 *   process, start the new one, to the first response that shows the change;
 * - each strategy through the file watcher (a save outside the editor);
 * - the editor path through the real language server: the edit typed (didChange), a pause of
 *   1 s, then the save (didSave), measured from the save; builds made before the save count as hits;
 * - the same with a save 400 ms after typing, while the build before the save is still under
 *   way, against an editor whose buildBeforeSave is off (the race must cost nothing);
 * - failed requests under load while the handoff and proxy strategies reload.
 *
 * The large programs: `gin`, a Gin web app (about 300 packages, plain Go), and `gin-sqlite`, the same
 * keeping SQLite in its folder (cgo), watched with every file counting: after the rounds it runs idle
 * for BENCH_IDLE_S seconds (default 60) writing its database, and the reloads that caused are counted.
 *
 * BENCH_ROUNDS (default 8), BENCH_PROGRAMS (default hello,handoff,big), BENCH_LOAD_RELOADS (5).
 * The machine is shared: ratios within a round are what count.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSession, type PartialSettings, type PhaseTimings, type ReloadReport, type Session, type Strategy } from '../src/engine';
import { EditorClient } from '../test/integration/editorClient';
import { copyExampleForBuild } from '../test/integration/zeroDowntime';
import { copyExample } from '../test/support/examples';
import { ginSqliteApp } from '../test/support/goProjects';
import { Load } from '../test/support/load';
import { freePort } from '../test/support/ports';
import { generateBigProgram } from './bigProgram';
import { waitForBody } from './poll';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const LOAD_RELOADS = Number(process.env.BENCH_LOAD_RELOADS ?? 5);
const PAUSE_MS = 1000;
const MID_BUILD_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Program {
  name: string;
  make(): string;
  /** The file each reload edits, relative to the program. */
  file: string;
  /** That file's content when `/` should answer `text`. */
  source(dir: string, text: string): string;
  /** What `/` answers before any edit. */
  initial: string;
  strategies: Strategy[];
  /** The strategy of the editor paths. */
  editor: Strategy;
  /** Settings of every engine path. */
  settings?: PartialSettings;
  /** It writes in its own folder: count the reloads of an idle minute. */
  writesItsFolder?: boolean;
}

const greetingSource = (_dir: string, text: string) =>
  `package main\n\n// greeting is what the service answers; edit it and save to see a reload.\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`;

/** The Gin app of test/support/goProjects.ts, with or without its database. */
function ginProgram(name: string, { database }: { database: boolean }): Program {
  return {
    name,
    make: () => ginSqliteApp('hello, world', { database }),
    file: 'greeting.go',
    source: greetingSource,
    initial: 'hello, world',
    strategies: ['restart', 'handoff'],
    editor: 'handoff',
  };
}

const PROGRAMS: Record<string, Program> = {
  hello: {
    name: 'examples/hello',
    make: () => copyExample('hello'),
    file: 'greeting.go',
    source: greetingSource,
    initial: 'hello, world',
    strategies: ['restart', 'proxy'],
    editor: 'restart',
  },
  handoff: {
    name: 'examples/handoff',
    make: () => copyExampleForBuild('handoff'),
    file: 'greeting.go',
    source: greetingSource,
    initial: 'hello, world',
    strategies: ['restart', 'handoff', 'proxy'],
    editor: 'handoff',
  },
  big: {
    name: 'generated 60-package program',
    make: () => generateBigProgram(60, 250, { patchable: false }),
    file: 'main.go',
    source: (dir, text) =>
      fs.readFileSync(path.join(dir, 'main.go'), 'utf8').replace(/const hostVersion = "[^"]*"/, `const hostVersion = ${JSON.stringify(text)}`),
    initial: 'host v1',
    strategies: ['restart', 'handoff', 'proxy'],
    editor: 'handoff',
  },
  gin: ginProgram('Gin web app (~300 packages, plain Go)', { database: false }),
  'gin-sqlite': {
    ...ginProgram('Gin web app keeping SQLite in its folder (cgo), every file watched', { database: true }),
    settings: { extensions: [] },
    writesItsFolder: true,
  },
};

/** One way of reloading, measured once per round. */
interface Path {
  label: string;
  target?: string;
  times: number[];
  ratios: number[];
  hits?: number;
  saves?: number;
  /** The engine's phases of each measured reload (detect, build, stop, start). */
  phases: PhaseTimings[];
  reload(round: number): Promise<number>;
  dispose(): Promise<void>;
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => execFile(cmd, args, { cwd }, (err) => (err ? reject(new Error(err.message)) : resolve())));
}

/** By hand: go build (Go's defaults), stop the old process, start the new one. */
async function floorPath(p: Program): Promise<Path> {
  const dir = p.make();
  const port = await freePort();
  const out = path.join(dir, '.floor-bin');
  await run('go', ['build', '-o', out, '.'], dir);
  let server: ChildProcess | undefined;
  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  return {
    label: 'floor: go build + restart by hand',
    times: [],
    ratios: [],
    phases: [],
    async reload(round) {
      const text = `floor ${round}`;
      fs.writeFileSync(path.join(dir, p.file), p.source(dir, text));
      const t0 = Date.now();
      await run('go', ['build', '-o', out, '.'], dir);
      await stop();
      server = spawn(out, [], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
      return (await waitForBody(port, text)) - t0;
    },
    async dispose() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An engine session (in this process) whose reloads come from its file watcher. */
async function watcherPath(p: Program, strategy: Strategy, target: string): Promise<Path & { session: Session; port: number; dir: string; reports(): number }> {
  const dir = p.make();
  const port = await freePort();
  const { session, problems } = await openSession(dir, [{ ...p.settings, strategy, env: { PORT: String(port) }, gracePeriodMs: 3000, drainTimeoutMs: 3000 }]);
  if (!session) throw new Error(JSON.stringify(problems));
  const reports: ReloadReport[] = [];
  const phases: PhaseTimings[] = [];
  session.events.on((e) => e.type === 'reload' && reports.push(e.report));
  try {
    await session.start();
    await waitForBody(port, p.initial, 300000);
  } catch (err) {
    await session.dispose();
    throw err;
  }
  return {
    label: `${strategy}, through the watcher`,
    target,
    times: [],
    ratios: [],
    phases,
    session,
    port,
    dir,
    reports: () => reports.length,
    async reload(round) {
      const text = `${strategy} ${round}`;
      const before = reports.length;
      const t0 = Date.now();
      fs.writeFileSync(path.join(dir, p.file), p.source(dir, text));
      const elapsed = (await waitForBody(port, text)) - t0;
      while (reports.length === before) await sleep(5);
      if (round >= 0) phases.push(reports.at(-1)!.phases);
      return elapsed;
    },
    async dispose() {
      await session.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The editor: the real language server, a buffer typed into, a pause, a save. */
async function editorPath(
  p: Program,
  { label, pauseMs, values, target }: { label: string; pauseMs: number; values: Record<string, unknown>; target?: string },
): Promise<Path> {
  const dir = p.make();
  const port = await freePort();
  const client = await EditorClient.start(dir);
  try {
    const started = await client.startFolder({ ...p.settings, strategy: p.editor, env: { PORT: String(port) }, ...values });
    if (!started.started) throw new Error(JSON.stringify(started));
    await waitForBody(port, p.initial, 300000);
  } catch (err) {
    const last = client.reports.at(-1);
    await client.stop();
    throw new Error(`${label}: ${(err as Error).message}${last ? `; last report: ${last.line}` : ''}; log: ${client.logs.join(' | ')}`, { cause: err });
  }
  const file = path.join(dir, p.file);
  await client.open(file);
  const result: Path = {
    label,
    target,
    times: [],
    ratios: [],
    phases: [],
    hits: 0,
    saves: 0,
    async reload(round) {
      const text = `${label.split(',')[0]} ${round}`;
      const before = client.reports.length;
      await client.type(file, p.source(dir, text));
      await sleep(pauseMs);
      const t0 = Date.now();
      await client.save(file);
      const elapsed = (await waitForBody(port, text)) - t0;
      while (client.reports.length === before) await sleep(5);
      if (round < 0) return elapsed;
      const { report } = client.reports.at(-1)!;
      result.phases.push(report.phases);
      result.saves!++;
      if (report.builtBeforeSave) result.hits!++;
      return elapsed;
    },
    async dispose() {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return result;
}

async function measure(p: Program): Promise<void> {
  console.log(`\n## ${p.name}: ${ROUNDS} rounds`);
  const paths: Path[] = [];
  const add = async <T extends Path>(subject: Promise<T>): Promise<T> => {
    const made = await subject;
    paths.push(made);
    return made;
  };
  /** Saving while the build before the save runs, against an editor without it, round by round. */
  const midRatios: number[] = [];
  try {
    const floor = await add(floorPath(p));
    const watched = [];
    for (const s of p.strategies) watched.push(await add(watcherPath(p, s, s === 'proxy' ? '≤ 0.95x' : '≤ 0.85x')));
    await add(editorPath(p, { label: `editor (${p.editor}), save 1 s after typing`, pauseMs: PAUSE_MS, values: {}, target: '≤ 0.30x' }));
    const midBuild = await add(editorPath(p, { label: `editor (${p.editor}), save ${MID_BUILD_MS} ms after typing`, pauseMs: MID_BUILD_MS, values: {} }));
    const noSpeculation = await add(
      editorPath(p, {
        label: `editor (${p.editor}), save ${MID_BUILD_MS} ms after typing, buildBeforeSave off`,
        pauseMs: MID_BUILD_MS,
        values: { buildBeforeSave: false },
      }),
    );
    // One unmeasured round: every side's build cache and watcher baseline warm.
    for (const subject of paths) await subject.reload(-1);
    for (let round = 0; round < ROUNDS; round++) {
      const times = new Map<Path, number>();
      for (let k = 0; k < paths.length; k++) {
        const subject = paths[(k + round) % paths.length];
        times.set(subject, await subject.reload(round));
        await sleep(200);
      }
      for (const subject of paths) {
        subject.times.push(times.get(subject)!);
        subject.ratios.push(times.get(subject)! / times.get(floor)!);
      }
      midRatios.push(times.get(midBuild)! / times.get(noSpeculation)!);
    }
    const failed: string[] = [];
    for (const w of watched.filter((x) => x.label.startsWith('handoff') || x.label.startsWith('proxy'))) {
      const load = new Load(w.port, { fresh: 2, keepAlive: 2, pauseMs: 5, path: '/' });
      await sleep(200);
      for (let i = 0; i < LOAD_RELOADS; i++) {
        await w.reload(1000 + i);
        await sleep(200);
      }
      const r = await load.stop();
      failed.push(`${w.label.split(',')[0]}: ${r.failed} failed / ${r.ok + r.failed}`);
    }
    if (p.writesItsFolder) await idleReloads(watched);
    console.log('path | median | median ratio to the floor, per round | target');
    for (const subject of paths) {
      const hits = subject.saves ? ` · built before the save ${subject.hits}/${subject.saves}` : '';
      const target = subject.target ? ` (target ${subject.target})` : '';
      const ph = subject.phases;
      const phases = ph.length
        ? ` · engine detect/build/stop/start ${['detectMs', 'buildMs', 'stopMs', 'startMs'].map((k) => median(ph.map((x) => x[k as keyof PhaseTimings])).toFixed(0)).join('/')} ms`
        : '';
      console.log(`${subject.label.padEnd(72)} | ${fmt(median(subject.times)).padStart(10)} | ${median(subject.ratios).toFixed(3)}x${target}${hits}${phases}`);
    }
    console.log(`save while the build before the save runs, against buildBeforeSave off: median ratio ${median(midRatios).toFixed(3)}x (target: not slower)`);
    if (failed.length > 0) console.log(`failed requests under load (2 fresh + 2 keep-alive clients, ${LOAD_RELOADS} reloads): ${failed.join('; ')} (target 0)`);
  } finally {
    for (const subject of paths) await subject.dispose();
  }
}

/** Reloads while the program runs idle writing in its folder: none is the target. */
async function idleReloads(watched: { label: string; reports(): number }[]): Promise<void> {
  const idleS = Number(process.env.BENCH_IDLE_S ?? 60);
  const before = watched.map((w) => w.reports());
  await sleep(idleS * 1000);
  const counts = watched.map((w, i) => `${w.label.split(',')[0]} ${w.reports() - before[i]}`);
  console.log(`reloads while idle for ${idleS} s writing its database: ${counts.join(', ')} (target 0)`);
}

async function main(): Promise<void> {
  const goflags = await new Promise<string>((resolve) => execFile('go', ['env', 'GOFLAGS'], (_e, out) => resolve(String(out).trim())));
  console.log(
    `# reload speed against doing it by hand: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}${goflags ? `, go env GOFLAGS=${goflags}` : ''}`,
  );
  for (const name of (process.env.BENCH_PROGRAMS ?? 'hello,handoff,big').split(',')) {
    const p = PROGRAMS[name];
    if (!p) throw new Error(`unknown program ${name}: ${Object.keys(PROGRAMS).join(', ')}`);
    await measure(p);
  }
  console.log(`\n# load average at the end ${os.loadavg()[0].toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
