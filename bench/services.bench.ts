/**
 * Hot Reload running a system of services (examples/services: a db, two Go mains sharing a
 * package, a Node gateway in front of them) against what people run instead: two air instances,
 * one per main, and a script that builds both mains one after the other, then stops both and
 * starts both (bench/services/). Each subject runs its own copy on ports of its own.
 *
 * A round saves shared/greeting/greeting.go with a new text and times save → both the api and the
 * worker answering it (each polled on its own port every 5 ms), while a bounded request loop
 * through the gateway (1 fresh + 1 keep-alive client, 10 ms apart, loopback) counts ok and failed
 * requests from just before the save to 300 ms after both serve. Rounds are interleaved (the
 * order rotates each round); each subject's ratio is its time over the faster of the two peers in
 * the same round, and the figure is the median of those ratios. Target: Hot Reload ≤ 0.6× with 0
 * failed requests.
 *
 * Writes bench/results/services.md and services.json. BENCH_ROUNDS (default 6), BENCH_SUBJECTS
 * (default hotreload,air,by-hand).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../test/support/examples';
import { Load } from '../test/support/load';
import { installAir } from './peers/install';
import { bothServing, bundleGateway, setSharedGreeting, type ServicesSubject } from './services/stack';
import { airPair, byHandScript, hotReloadServices } from './services/subjects';
import { median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SUBJECTS = (process.env.BENCH_SUBJECTS ?? 'hotreload,air,by-hand').split(',');
const TARGET_RATIO = 0.6;
/** How long the gateway load goes on after both services serve the new text. */
const SETTLE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tally {
  subject: ServicesSubject;
  /** Save → both serving, per round. */
  times: number[];
  ok: number[];
  failed: number[];
  /** The first gateway failures seen, for the JSON. */
  errors: string[];
}

/** One save of the shared package, timed to both services serving it, under the gateway load. */
async function reload(s: ServicesSubject, text: string): Promise<{ ms: number; ok: number; failed: number; errors: string[] }> {
  const load = new Load(s.ports.gateway, { fresh: 1, keepAlive: 1, pauseMs: 10, path: '/' });
  let ms: number;
  try {
    await sleep(200);
    const t0 = Date.now();
    setSharedGreeting(s.dir, text);
    const serving = bothServing(s.ports, text, 120_000);
    serving.catch(() => undefined); // awaited below; a failing script must not leave it unhandled
    await s.afterEdit?.();
    ms = (await serving) - t0;
    await sleep(SETTLE_MS);
  } catch (err) {
    await load.stop();
    throw err;
  }
  const { ok, failed, errors } = await load.stop();
  return { ms, ok, failed, errors };
}

async function startSubjects(gatewayJs: string, airBin: string | undefined, skipped: string[]): Promise<ServicesSubject[]> {
  const makers: Record<string, () => Promise<ServicesSubject>> = {
    hotreload: hotReloadServices,
    air: () => (airBin ? airPair(airBin, gatewayJs) : Promise.reject(new Error('air is not installed'))),
    'by-hand': () => byHandScript(gatewayJs),
  };
  const subjects: ServicesSubject[] = [];
  for (const name of SUBJECTS) {
    const make = makers[name];
    if (!make) throw new Error(`unknown subject ${name}: ${Object.keys(makers).join(', ')}`);
    try {
      subjects.push(await make());
      console.log(`# ${subjects.at(-1)!.name}: serving (api ${subjects.at(-1)!.ports.api}, worker ${subjects.at(-1)!.ports.worker})`);
    } catch (err) {
      skipped.push((err as Error).message.split('\n')[0]);
      console.log(`# left out: ${skipped.at(-1)}`);
    }
  }
  return subjects;
}

async function runRounds(subjects: ServicesSubject[]): Promise<Tally[]> {
  const tallies = subjects.map((subject): Tally => ({ subject, times: [], ok: [], failed: [], errors: [] }));
  await sleep(1500); // past every crash window and watcher start-up
  for (const [i, t] of tallies.entries()) await reload(t.subject, `warm-up ${i}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < tallies.length; k++) {
      const t = tallies[(k + round) % tallies.length];
      const r = await reload(t.subject, `round ${round} of ${t.subject.name}`);
      t.times.push(r.ms);
      t.ok.push(r.ok);
      t.failed.push(r.failed);
      if (t.errors.length < 10) t.errors.push(...r.errors.slice(0, 10 - t.errors.length));
      console.log(`  round ${round} ${t.subject.name}: ${r.ms} ms, ${r.failed} / ${r.ok + r.failed} failed`);
      await sleep(300);
    }
  }
  return tallies;
}

interface Row {
  subject: string;
  kind: ServicesSubject['kind'];
  medianMs: number;
  /** Median of the per-round ratios to the faster peer of that round. */
  ratio: number | undefined;
  ok: number;
  failed: number;
  timesMs: number[];
  failedPerRound: number[];
  errors: string[];
}

function rows(tallies: Tally[]): Row[] {
  const peers = tallies.filter((t) => t.subject.kind === 'peer');
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return tallies.map((t) => ({
    subject: t.subject.name,
    kind: t.subject.kind,
    medianMs: median(t.times),
    ratio: peers.length === 0 ? undefined : median(t.times.map((ms, round) => ms / Math.min(...peers.map((p) => p.times[round])))),
    ok: sum(t.ok),
    failed: sum(t.failed),
    timesMs: t.times,
    failedPerRound: t.failed,
    errors: t.errors,
  }));
}

interface Machine {
  date: string;
  cpu: string | undefined;
  cores: number;
  memoryGiB: number;
  loadAverage: number;
  node: string;
  go: string;
  air: string;
}

function machine(air: string): Machine {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg()[0],
    node: process.version,
    go: execFileSync('go', ['version'], { encoding: 'utf8' }).trim(),
    air,
  };
}

/** What the figures say of the target, in one sentence. */
function verdict(all: Row[]): string {
  const hr = all.find((r) => r.kind === 'hotreload');
  const peerFailed = all.filter((r) => r.kind === 'peer').map((r) => `${r.subject} ${r.failed}`);
  if (!hr) return `Target (≤ ${TARGET_RATIO}× of the faster peer, 0 failed requests): not measured, Hot Reload was left out.`;
  if (hr.ratio === undefined)
    return `Target (≤ ${TARGET_RATIO}× of the faster peer, 0 failed requests): not measured, no peer ran; Hot Reload had ${hr.failed} failed.`;
  const met = hr.ratio <= TARGET_RATIO && hr.failed === 0;
  return `Target (≤ ${TARGET_RATIO}× of the faster peer, 0 failed requests): ${met ? 'met' : 'not met'}: ${hr.ratio.toFixed(2)}×, ${hr.failed} failed (peers: ${peerFailed.join(', ') || 'none'}).`;
}

function markdown(about: Machine, all: Row[], skipped: string[]): string {
  const lines = [
    '# Hot Reload services against air and a by-hand script',
    '',
    `\`npm run bench:services\` on ${about.date.slice(0, 10)}: ${about.cores} cores (${about.cpu ?? 'unknown CPU'}), ${about.memoryGiB} GiB, load average ${about.loadAverage.toFixed(2)} at the start; ${about.go}, Node ${about.node}, air ${about.air}. examples/services (db, api, worker, gateway); ${ROUNDS} interleaved rounds; a save of shared/greeting/greeting.go → both the api and the worker serving it; requests through the gateway (1 fresh + 1 keep-alive client, 10 ms apart) from just before the save to ${SETTLE_MS} ms after.`,
    '',
    '| subject | save → both serving (median) | ratio to the faster peer, per round (median) | gateway requests ok / failed |',
    '|---|---:|---:|---:|',
    ...all.map((r) => `| ${r.subject} | ${r.medianMs.toFixed(0)} ms | ${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`} | ${r.ok} / ${r.failed} |`),
    '',
    verdict(all),
  ];
  if (skipped.length > 0) lines.push('', `Left out: ${skipped.join('; ')}.`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const air = installAir();
  const about = machine('bin' in air ? air.version : `left out: ${air.skip}`);
  console.log(`# Hot Reload services against air and a by-hand script: ${JSON.stringify(about)}`);
  const gateway = await bundleGateway();
  const skipped: string[] = [];
  let subjects: ServicesSubject[] = [];
  const cleanUp = async () => {
    for (const s of subjects) await s.stop().catch((err: Error) => console.error(`# stopping ${s.name}: ${err.message}`));
    for (const s of subjects) fs.rmSync(s.dir, { recursive: true, force: true });
    gateway.remove();
  };
  const interrupted = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  let tallies: Tally[];
  try {
    subjects = await startSubjects(gateway.file, 'bin' in air ? air.bin : undefined, skipped);
    console.log(`\n## ${ROUNDS} rounds`);
    tallies = await runRounds(subjects);
  } finally {
    await cleanUp();
  }
  const all = rows(tallies);
  console.log('');
  for (const r of all)
    console.log(
      `${r.subject.padEnd(36)} | ${r.medianMs.toFixed(0).padStart(6)} ms | ${r.ratio === undefined ? '      ' : `${r.ratio.toFixed(2)}x`.padStart(6)} | ${r.ok} ok / ${r.failed} failed`,
    );
  console.log(verdict(all));
  const dir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'services.json'),
    `${JSON.stringify({ machine: about, rounds: ROUNDS, settleMs: SETTLE_MS, rows: all, skipped }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(dir, 'services.md'), markdown(about, all, skipped));
  console.log(`\nwrote ${path.relative(repoRoot, dir)}/services.md and services.json`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
