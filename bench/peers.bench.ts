/**
 * Hot Reload against the tools people use instead, as they install and run them (bench/peers/):
 * air, reflex, entr, watchexec and nodemon on Go; tsx watch, node --watch and nodemon on a
 * TypeScript service; `nest start --watch` (tsc and SWC) on NestJS; and, for Go, a developer by
 * hand (`go build` with Go's defaults, stop, start). Each subject reloads its own copy of the
 * program on its own port.
 *
 * Phase 1, rounds interleaved (the order rotates each round): a file written → the first response
 * that shows it, polled every 5 ms. Go's ratios are to by hand in the same round; Node's to the
 * fastest other tool in the same round. Phase 2, one subject at a time: failed requests under a
 * steady load (2 fresh + 2 keep-alive clients) across BENCH_LOAD_RELOADS reloads.
 *
 * Writes bench/results/peers.md and peers.json (the machine, the versions, the figures).
 * BENCH_ROUNDS (default 8), BENCH_LOAD_RELOADS (5), BENCH_PROGRAMS (default
 * go-small,go-large,node-small,node-large).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../test/support/examples';
import { copyRealProject } from '../test/support/realProjects';
import { Load } from '../test/support/load';
import { installPeers, type Peers } from './peers/install';
import { PROGRAMS, type ProgramName } from './peers/programs';
import { byHand, hotReload, peer, type Program, type Subject } from './peers/subjects';
import { median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const LOAD_RELOADS = Number(process.env.BENCH_LOAD_RELOADS ?? 5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The shell line every Go peer runs on a change: build, then exec the program (so signals reach it). */
const GO_RUN = 'go build -o ./tmp/app . && exec ./tmp/app';

type Maker = () => Promise<Subject>;

function goSubjects(p: Program, peers: Peers): Maker[] {
  const makers: Maker[] = [
    () => byHand(p),
    () => hotReload(p, 'hotreload restart', { strategy: 'restart' }),
    () => hotReload(p, 'hotreload handoff', { strategy: 'handoff' }),
    () => hotReload(p, 'hotreload proxy', { strategy: 'proxy' }),
  ];
  const { air, reflex, entr, watchexec, nodemon } = peers;
  if ('bin' in air)
    makers.push(() => peer(p, { name: 'air', command: air.bin, args: [], prepare: (dir) => execFileSync(air.bin, ['init'], { cwd: dir, stdio: 'ignore' }) }));
  if ('bin' in reflex) makers.push(() => peer(p, { name: 'reflex', command: reflex.bin, args: ['-r', '\\.go$', '-s', '--', 'sh', '-c', GO_RUN] }));
  if ('bin' in entr) makers.push(() => peer(p, { name: 'entr', command: 'sh', args: ['-c', `find . -name '*.go' | ${entr.bin} -nr sh -c '${GO_RUN}'`] }));
  if ('bin' in watchexec) makers.push(() => peer(p, { name: 'watchexec', command: watchexec.bin, args: ['-r', '-e', 'go', '--', GO_RUN] }));
  if ('bin' in nodemon)
    makers.push(() => peer(p, { name: 'nodemon', command: nodemon.bin, args: ['--quiet', '-e', 'go', '--signal', 'SIGTERM', '--exec', GO_RUN] }));
  return makers;
}

function nodeSubjects(name: ProgramName, p: Program, peers: Peers): Maker[] {
  const makers: Maker[] = [() => hotReload(p, 'hotreload restart', { strategy: 'restart' }), () => hotReload(p, 'hotreload handoff', { strategy: 'handoff' })];
  if (name === 'node-large') {
    const nest = (project: 'nest' | 'nest-swc', args: string[]) => () =>
      peer(p, {
        name: `nest start ${[...args, '--watch'].join(' ')}`,
        command: './node_modules/.bin/nest',
        args: ['start', ...args, '--watch'],
        make: () => copyRealProject(project),
      });
    return [...makers, nest('nest', []), nest('nest-swc', ['-b', 'swc'])];
  }
  const { tsx, nodemon } = peers;
  if ('bin' in tsx) {
    makers.push(() => peer(p, { name: 'tsx watch', command: tsx.bin, args: ['watch', 'src/server.ts'] }));
    const loader = pathToFileURL(path.join(repoRoot, 'bench', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    makers.push(() => peer(p, { name: 'node --watch', command: process.execPath, args: ['--watch', '--import', loader, 'src/server.ts'] }));
    if ('bin' in nodemon)
      makers.push(() =>
        peer(p, { name: 'nodemon + tsx', command: nodemon.bin, args: ['--quiet', '--watch', 'src', '--ext', 'ts', '--exec', `${tsx.bin} src/server.ts`] }),
      );
  }
  return makers;
}

interface Row {
  subject: string;
  kind: Subject['kind'];
  medianMs: number;
  /** Median of the per-round ratios to the reference (by hand for Go, the fastest peer for Node). */
  ratio: number | undefined;
  failed: number;
  requests: number;
}

async function measure(name: ProgramName, peers: Peers): Promise<{ program: string; reference: string; rows: Row[]; skipped: string[] }> {
  const p = PROGRAMS[name];
  console.log(`\n## ${p.name}: ${ROUNDS} rounds`);
  const subjects: Subject[] = [];
  const skipped: string[] = [];
  try {
    for (const make of p.language === 'go' ? goSubjects(p, peers) : nodeSubjects(name, p, peers)) {
      try {
        subjects.push(await make());
      } catch (err) {
        skipped.push((err as Error).message.split('\n')[0]);
        console.log(`# left out: ${skipped.at(-1)}`);
      }
    }
    await sleep(1500); // past every crash window and watcher start-up
    for (const s of subjects) await s.reload(`${s.name} warm-up`);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < subjects.length; k++) {
        const s = subjects[(k + round) % subjects.length];
        s.times.push(await s.reload(`${s.name} round ${round}`));
        await sleep(300);
      }
    }
    for (const s of subjects) {
      const load = new Load(s.port, { fresh: 2, keepAlive: 2, pauseMs: 5, path: '/' });
      await sleep(300);
      for (let i = 0; i < LOAD_RELOADS; i++) {
        await s.reload(`${s.name} under load ${i}`);
        await sleep(300);
      }
      const result = await load.stop();
      s.load = { ok: result.ok, failed: result.failed };
    }
  } finally {
    for (const s of subjects) await s.stop().catch(() => undefined);
    for (const s of subjects) fs.rmSync(s.dir, { recursive: true, force: true });
  }
  const reference = p.language === 'go' ? 'by hand' : 'the fastest other tool';
  const rows = subjects.map((s): Row => {
    const ratios = s.times.map((ms, round) => {
      const base = p.language === 'go' ? subjects.filter((o) => o.kind === 'by hand') : subjects.filter((o) => o.kind === 'peer' && o !== s);
      return ms / Math.min(...base.map((o) => o.times[round]));
    });
    const hasReference = p.language === 'go' ? s.kind !== 'by hand' : s.kind === 'hotreload';
    return {
      subject: s.name,
      kind: s.kind,
      medianMs: median(s.times),
      ratio: hasReference ? median(ratios) : undefined,
      failed: s.load!.failed,
      requests: s.load!.ok + s.load!.failed,
    };
  });
  for (const r of rows)
    console.log(
      `${r.subject.padEnd(28)} | ${r.medianMs.toFixed(0).padStart(6)} ms | ${r.ratio === undefined ? '      ' : `${r.ratio.toFixed(2)}x`.padStart(6)} | ${r.failed} / ${r.requests} failed`,
    );
  return { program: p.name, reference, rows, skipped };
}

interface Machine {
  date: string;
  cpu: string | undefined;
  cores: number;
  memoryGiB: number;
  loadAverage: number;
  node: string;
  go: string;
  peers: Record<string, string>;
}

function machine(peers: Peers): Machine {
  const go = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  const versions = Object.fromEntries(Object.entries(peers).map(([name, peer]) => [name, 'bin' in peer ? peer.version : `left out: ${peer.skip}`]));
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg()[0],
    node: process.version,
    go,
    peers: versions,
  };
}

function markdown(about: Machine, results: Awaited<ReturnType<typeof measure>>[]): string {
  const lines = [
    '# Hot Reload against its peers',
    '',
    `\`npm run bench:peers\` on ${about.date.slice(0, 10)}: ${about.cores} cores (${about.cpu ?? 'unknown CPU'}), ${about.memoryGiB} GiB, load average ${about.loadAverage.toFixed(2)} at the start; ${about.go}, Node ${about.node}. ${ROUNDS} interleaved rounds; save → the first response that shows the change; failed requests under a steady load across ${LOAD_RELOADS} reloads.`,
    '',
    `Peers: ${Object.entries(about.peers)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}.`,
  ];
  for (const r of results) {
    lines.push(
      '',
      `## ${r.program}`,
      '',
      `| subject | save → new response (median) | ratio to ${r.reference}, per round (median) | failed / requests under load |`,
      '|---|---:|---:|---:|',
    );
    for (const row of r.rows)
      lines.push(
        `| ${row.subject} | ${row.medianMs.toFixed(0)} ms | ${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`} | ${row.failed} / ${row.requests} |`,
      );
    if (r.skipped.length > 0) lines.push('', `Left out: ${r.skipped.join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const peers = installPeers();
  const about = machine(peers);
  console.log(`# Hot Reload against its peers: ${JSON.stringify(about)}`);
  const results = [];
  for (const name of (process.env.BENCH_PROGRAMS ?? 'go-small,go-large,node-small,node-large').split(',') as ProgramName[]) {
    if (!PROGRAMS[name]) throw new Error(`unknown program ${name}: ${Object.keys(PROGRAMS).join(', ')}`);
    results.push(await measure(name, peers));
  }
  const dir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'peers.json'), `${JSON.stringify({ machine: about, rounds: ROUNDS, loadReloads: LOAD_RELOADS, results }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'peers.md'), markdown(about, results));
  console.log(`\nwrote ${path.relative(repoRoot, dir)}/peers.md and peers.json`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
