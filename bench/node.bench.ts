/**
 * Node benchmark: Hot Reload's restart, handoff and patch strategies against `tsx watch`,
 * `node --watch` (with tsx's loader, as Node 20 cannot run TypeScript) and nodemon running tsx,
 * on the same TypeScript service (examples/node-ts, an Express app), each in its own copy.
 *
 * Phase 1, rounds interleaved (each round reloads every subject once, in turn): a file written →
 * the first response of the new version, polled every 5 ms; each round's ratio to the fastest of
 * the other tools in that round, so the ratio survives a noisy machine. Phase 2, one subject at a
 * time: failed requests under a steady load (2 fresh + 2 keep-alive clients) across reloads.
 *
 * The tools are bench/package.json's devDependencies (`npm install --prefix bench`, which
 * `npm run bench:node` does). BENCH_ROUNDS (default 10) and BENCH_RELOADS (default 6) set the counts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { openSession } from '../src/engine';
import { repoRoot } from '../test/support/examples';
import { Load } from '../test/support/load';
import { copyNodeExample, setNodeGreeting } from '../test/support/nodeExamples';
import { freePort } from '../test/support/ports';
import { killGroup } from '../test/support/processes';
import { waitForBody } from './poll';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const RELOADS = Number(process.env.BENCH_RELOADS ?? 6);
const bin = (name: string) => path.join(repoRoot, 'bench', 'node_modules', '.bin', name);

type Strategy = 'restart' | 'handoff' | 'patch';

interface Subject {
  name: string;
  ours: boolean;
  dir: string;
  port: number;
  stop(): Promise<void>;
  saves: number[];
  load?: { ok: number; failed: number; total: number };
}

async function hotReload(strategy: Strategy): Promise<Subject> {
  const dir = copyNodeExample('node-ts');
  const port = await freePort();
  const { session, problems } = await openSession(dir, [{ strategy, env: { PORT: String(port) }, patchLimit: 10_000, drainTimeoutMs: 3000 }]);
  if (!session) throw new Error(JSON.stringify(problems));
  await session.start();
  return { name: `hotreload ${strategy}`, ours: true, dir, port, stop: () => session.dispose(), saves: [] };
}

async function tool(name: string, command: string, args: string[]): Promise<Subject> {
  const dir = copyNodeExample('node-ts');
  const port = await freePort();
  const child: ChildProcess = spawn(command, args, { cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    name,
    ours: false,
    dir,
    port,
    saves: [],
    stop: async () => {
      killGroup(child.pid, 'SIGKILL');
      await exited;
    },
  };
}

async function reload(s: Subject, text: string): Promise<number> {
  const t0 = Date.now();
  setNodeGreeting(s.dir, text);
  return (await waitForBody(s.port, text, 60_000)) - t0;
}

async function main(): Promise<void> {
  if (!fs.existsSync(bin('tsx')) || !fs.existsSync(bin('nodemon'))) throw new Error('the tools are not installed: npm install --prefix bench');
  const versions = (name: string) =>
    (JSON.parse(fs.readFileSync(path.join(repoRoot, 'bench', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  console.log(
    `# Node benchmark: examples/node-ts (Express), ${ROUNDS} interleaved rounds, ${RELOADS} reloads under load each; node ${process.versions.node}, tsx ${versions('tsx')}, nodemon ${versions('nodemon')}; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  const subjects: Subject[] = [];
  try {
    for (const strategy of ['restart', 'handoff', 'patch'] as const) subjects.push(await hotReload(strategy));
    subjects.push(await tool('tsx watch', bin('tsx'), ['watch', 'src/server.ts']));
    // `--import tsx` as its docs say, from where the benchmark installed it rather than from the project.
    const tsxLoader = pathToFileURL(path.join(repoRoot, 'bench', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    subjects.push(await tool('node --watch', process.execPath, ['--watch', '--import', tsxLoader, 'src/server.ts']));
    subjects.push(await tool('nodemon + tsx', bin('nodemon'), ['--quiet', '--watch', 'src', '--ext', 'ts', '--exec', `${bin('tsx')} src/server.ts`]));
    for (const s of subjects) await waitForBody(s.port, 'hello from TypeScript', 60_000);
    await sleep(1500); // past every crash window and watcher start-up

    for (let round = 0; round < ROUNDS; round++) {
      for (const s of subjects) {
        s.saves.push(await reload(s, `${s.name} round ${round}`));
        await sleep(300);
      }
    }

    for (const s of subjects) {
      const load = new Load(s.port, { fresh: 2, keepAlive: 2, pauseMs: 5, path: '/' });
      await sleep(300);
      for (let i = 0; i < RELOADS; i++) {
        await reload(s, `${s.name} under load ${i}`);
        await sleep(300);
      }
      const result = await load.stop();
      s.load = { ok: result.ok, failed: result.failed, total: result.ok + result.failed };
    }
  } finally {
    for (const s of subjects) await s.stop().catch(() => undefined);
  }

  const others = subjects.filter((s) => !s.ours);
  /** Per round: this subject's time over the fastest other tool's in that round. */
  const ratios = (s: Subject) => s.saves.map((ms, round) => ms / Math.min(...others.map((o) => o.saves[round])));
  console.log('');
  console.log('subject           | save → first new response (median) | vs the fastest other tool, per round (median) | failed / total under load');
  for (const s of subjects) {
    const vs = s.ours ? `${median(ratios(s)).toFixed(2)}x` : '';
    console.log(`${s.name.padEnd(17)} | ${fmt(median(s.saves)).padStart(10)} | ${vs.padStart(6)} | ${s.load!.failed} / ${s.load!.total}`);
  }
  console.log('');
  console.log('targets: restart at or below the fastest other tool (≤ 1.00x); patch ≤ 0.30x; 0 failed with handoff and patch');
  for (const s of subjects) fs.rmSync(s.dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
