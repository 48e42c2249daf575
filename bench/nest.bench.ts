/**
 * NestJS benchmark, on the corpus app (`nest new` plus a second module whose service is injected
 * into the first's; test/support/realProjects.ts makes it from npm), each subject in its own copy.
 *
 * Part 1, the decorator compiler: Hot Reload with SWC against Hot Reload with TypeScript's
 * transpileModule (HOTRELOAD_DECORATOR_COMPILER), both emitting decorator metadata: the first
 * build, then per round a save → the first response of the new version and the build's own time;
 * rounds interleaved, the ratio taken per round.
 *
 * Part 2, against the peers a Nest user runs: Hot Reload (restart) against `nest start --watch`
 * (tsc) and `nest start -b swc --watch` (the project with @swc/cli and @swc/core, as Nest's docs
 * add them); a save → the first response of the new version, rounds interleaved, each round's
 * ratio to the faster peer. Target: at or below the faster of the two (≤ 1.00x).
 *
 * BENCH_ROUNDS (default 8) sets the rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, type ReloadReport, type Session } from '../src/engine';
import { freePort } from '../test/support/ports';
import { killGroup } from '../test/support/processes';
import { copyRealProject, NEST_CLI, type RealProject } from '../test/support/realProjects';
import { waitForBody } from './poll';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const FIRST = 'Hello from the greeting module!';

interface Subject {
  name: string;
  dir: string;
  port: number;
  stop(): Promise<void>;
  saves: number[];
  builds: number[];
  firstBuildMs?: number;
  session?: Session;
}

function setGreeting(dir: string, text: string): void {
  fs.writeFileSync(
    path.join(dir, 'src', 'greeting', 'greeting.service.ts'),
    `import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class GreetingService {\n  text(): string {\n    return ${JSON.stringify(text)};\n  }\n}\n`,
  );
}

async function hotReload(name: string, compiler: 'swc' | 'typescript'): Promise<Subject> {
  const dir = copyRealProject('nest');
  const port = await freePort();
  process.env.HOTRELOAD_DECORATOR_COMPILER = compiler;
  const reports: ReloadReport[] = [];
  const { session, problems } = await openSession(dir, [{ strategy: 'restart', env: { PORT: String(port) } }]);
  if (!session) throw new Error(JSON.stringify(problems));
  session.events.on((e) => e.type === 'reload' && reports.push(e.report));
  await session.start();
  await waitForBody(port, FIRST, 120_000);
  delete process.env.HOTRELOAD_DECORATOR_COMPILER;
  const subject: Subject = { name, dir, port, session, saves: [], builds: [], firstBuildMs: reports[0]?.phases.buildMs, stop: () => session.dispose() };
  session.events.on((e) => e.type === 'reload' && subject.builds.push(e.report.phases.buildMs));
  return subject;
}

async function nestWatch(name: string, project: RealProject, args: string[]): Promise<Subject> {
  const dir = copyRealProject(project);
  const port = await freePort();
  const child: ChildProcess = spawn(path.join(dir, 'node_modules', '.bin', 'nest'), ['start', ...args, '--watch'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
    detached: true,
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitForBody(port, FIRST, 180_000);
  } catch (err) {
    killGroup(child.pid, 'SIGKILL');
    throw err;
  }
  return {
    name,
    dir,
    port,
    saves: [],
    builds: [],
    stop: async () => {
      killGroup(child.pid, 'SIGKILL');
      await exited;
    },
  };
}

async function save(s: Subject, text: string): Promise<number> {
  const t0 = Date.now();
  setGreeting(s.dir, text);
  return (await waitForBody(s.port, text, 120_000)) - t0;
}

async function rounds(subjects: Subject[], label: string): Promise<void> {
  await sleep(1500); // past every crash window and watcher start-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of subjects) {
      s.saves.push(await save(s, `${s.name} ${label} ${round}`));
      await sleep(300);
    }
  }
}

/** Per round: `s`'s time over the fastest of `others` in that round. */
function ratios(s: Subject, others: Subject[]): number[] {
  return s.saves.map((ms, round) => ms / Math.min(...others.map((o) => o.saves[round])));
}

async function compilers(): Promise<void> {
  const subjects: Subject[] = [];
  try {
    subjects.push(await hotReload('SWC', 'swc'));
    subjects.push(await hotReload('transpileModule', 'typescript'));
    await rounds(subjects, 'compiler');
  } finally {
    for (const s of subjects) await s.stop().catch(() => undefined);
  }
  const [swc, ts] = subjects;
  console.log('\n## decorator compiler (Hot Reload restart, the same app)');
  console.log('compiler        | first build | build per save (median) | save → new response (median) | vs SWC, per round (median)');
  for (const s of subjects) {
    const vs = s === swc ? '' : `${median(ratios(ts, [swc])).toFixed(2)}x`;
    console.log(
      `${s.name.padEnd(15)} | ${fmt(s.firstBuildMs ?? NaN).padStart(11)} | ${fmt(median(s.builds.slice(-ROUNDS))).padStart(10)} | ${fmt(median(s.saves)).padStart(10)} | ${vs}`,
    );
  }
  for (const s of subjects) fs.rmSync(s.dir, { recursive: true, force: true });
}

async function peers(): Promise<void> {
  const subjects: Subject[] = [];
  try {
    subjects.push(await hotReload('hotreload restart', 'swc'));
    subjects.push(await nestWatch('nest start --watch', 'nest', []));
    subjects.push(await nestWatch('nest start -b swc --watch', 'nest-swc', ['-b', 'swc']));
    await rounds(subjects, 'peers');
  } finally {
    for (const s of subjects) await s.stop().catch(() => undefined);
  }
  const [ours, ...others] = subjects;
  console.log('\n## against the peers');
  console.log('subject                    | save → new response (median) | vs the faster peer, per round (median)');
  for (const s of subjects) {
    const vs = s === ours ? `${median(ratios(ours, others)).toFixed(2)}x` : '';
    console.log(`${s.name.padEnd(26)} | ${fmt(median(s.saves)).padStart(10)} | ${vs}`);
  }
  console.log('\ntarget: hotreload restart at or below the faster of the two (≤ 1.00x)');
  for (const s of subjects) fs.rmSync(s.dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  console.log(
    `# NestJS benchmark: ${NEST_CLI} new + a second injected module, ${ROUNDS} interleaved rounds; node ${process.versions.node}; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  await compilers();
  await peers();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
