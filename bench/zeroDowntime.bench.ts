/**
 * Zero-downtime benchmark: the restart, handoff and proxy strategies on the same program
 * (examples/handoff, which serves under all three) in one run.
 *
 * For each strategy it prints:
 * - save to the first response of the new version (editor-save path), against the floor: `go build`
 *   plus start to the first response, with no tool; measured interleaved, so the ratio survives a
 *   noisy machine;
 * - failed requests / total while reloading under a steady load (fresh and keep-alive clients);
 * - for the proxy, the latency it adds: the same requests sent straight to the program's port and
 *   through the proxy, interleaved, one at a time over keep-alive connections, p50 and p99.
 *
 * BENCH_WATCH=0 runs the sessions without their file watchers. BENCH_RELOADS (default 8) sets the reloads per phase, BENCH_LATENCY_REQUESTS (default 3000) the
 * requests per side of the latency comparison. HR_GO_HOTRELOAD_DIR builds against another copy of
 * the Go package.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, type Session } from '../src/engine';
import { setGreeting } from '../test/integration/harness';
import { copyExampleForBuild } from '../test/integration/zeroDowntime';
import { Load } from '../test/support/load';
import { freePort } from '../test/support/ports';
import { fmt, median, percentile } from './stats';
import { waitForBody } from './poll';

const RELOADS = Number(process.env.BENCH_RELOADS ?? 8);
const LATENCY_REQUESTS = Number(process.env.BENCH_LATENCY_REQUESTS ?? 3000);
const STRATEGIES = ['restart', 'handoff', 'proxy'] as const;
type Name = (typeof STRATEGIES)[number];

const floorBuilds: number[] = [];

async function floorOnce(dir: string, port: number, text: string): Promise<number> {
  setGreeting(dir, text);
  const out = path.join(dir, '.floor-bin');
  const started = Date.now();
  execFileSync('go', ['build', '-o', out, '.'], { cwd: dir, stdio: 'ignore' });
  floorBuilds.push(Date.now() - started);
  const child: ChildProcess = spawn(out, [], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
  try {
    return (await waitForBody(port, text)) - started;
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

interface Subject {
  name: Name;
  dir: string;
  port: number;
  session: Session;
  saves: number[];
  /** Engine phases of the measured reloads: build, and start (deploy until the new version serves). */
  phases: { build: number; start: number; stop: number }[];
  measuring: boolean;
  load?: { ok: number; failed: number; retried: number };
}

async function open(name: Name): Promise<Subject> {
  const dir = copyExampleForBuild('handoff');
  const port = await freePort();
  const { session, problems } = await openSession(dir, [{ strategy: name, env: { PORT: String(port) }, gracePeriodMs: 3000, drainTimeoutMs: 3000 }], {
    // BENCH_WATCH=0: no file watcher (reloads come from the editor-save API only), to see what watching costs.
    watch: process.env.BENCH_WATCH !== '0',
  });
  if (!session) throw new Error(JSON.stringify(problems));
  const subject: Subject = { name, dir, port, session, saves: [], phases: [], measuring: false };
  session.events.on((e) => {
    if (subject.measuring && e.type === 'reload' && e.report.outcome !== 'build-failed')
      subject.phases.push({ build: e.report.phases.buildMs, start: e.report.phases.startMs, stop: e.report.phases.stopMs });
  });
  await session.start();
  await waitForBody(port, 'hello, world');
  return subject;
}

async function reload(s: Subject, text: string): Promise<number> {
  const t0 = Date.now();
  setGreeting(s.dir, text);
  void s.session.notifySaved([path.join(s.dir, 'greeting.go')]);
  return (await waitForBody(s.port, text)) - t0;
}

/** One GET over a keep-alive agent; the time to the end of the response, in ms. */
function timedGet(port: number, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
      })
      .on('error', reject);
  });
}

async function proxyOverhead(publicPort: number, backendPort: number): Promise<{ direct: number[]; proxied: number[] }> {
  const directAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const proxyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const direct: number[] = [];
  const proxied: number[] = [];
  for (let i = 0; i < 200; i++) {
    await timedGet(backendPort, directAgent);
    await timedGet(publicPort, proxyAgent);
  }
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    // Alternate which goes first, so neither side always follows the other.
    if (i % 2 === 0) {
      direct.push(await timedGet(backendPort, directAgent));
      proxied.push(await timedGet(publicPort, proxyAgent));
    } else {
      proxied.push(await timedGet(publicPort, proxyAgent));
      direct.push(await timedGet(backendPort, directAgent));
    }
  }
  directAgent.destroy();
  proxyAgent.destroy();
  return { direct, proxied };
}

async function main(): Promise<void> {
  console.log(
    `# zero-downtime benchmark: ${RELOADS} reloads per strategy and phase, examples/handoff, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  const floorDir = copyExampleForBuild('handoff');
  const floorPort = await freePort();
  execFileSync('go', ['build', '-o', path.join(floorDir, '.floor-bin'), '.'], { cwd: floorDir, stdio: 'ignore' });

  const subjects: Subject[] = [];
  for (const name of STRATEGIES) subjects.push(await open(name));
  for (const s of subjects) if (s.session.strategy.name !== s.name) throw new Error(`${s.name} session runs ${s.session.strategy.name}`);
  await sleep(500);

  // Phase 1: save to first new response, interleaved with the floor.
  const floor: number[] = [];
  for (let i = 0; i < RELOADS; i++) {
    floor.push(await floorOnce(floorDir, floorPort, `floor ${i}`));
    for (const s of subjects) {
      s.measuring = true;
      s.saves.push(await reload(s, `${s.name} saved ${i}`));
      s.measuring = false;
      await sleep(200);
    }
  }

  // Phase 2: failed requests while reloading under load, one strategy at a time.
  for (const s of subjects) {
    const load = new Load(s.port, { fresh: 2, keepAlive: 2, pauseMs: 5, path: '/' });
    await sleep(200);
    for (let i = 0; i < RELOADS; i++) {
      await reload(s, `${s.name} loaded ${i}`);
      await sleep(200);
    }
    const result = await load.stop();
    s.load = { ok: result.ok, failed: result.failed, retried: result.retried };
  }

  // Phase 3: the proxy's added latency.
  const proxy = subjects.find((s) => s.name === 'proxy')!;
  const backendPort = (proxy.session.strategy as unknown as { backendPort?: number }).backendPort;
  if (backendPort === undefined) throw new Error('the proxy has no active backend');
  const latency = await proxyOverhead(proxy.port, backendPort);

  for (const s of subjects) await s.session.dispose();

  const f = median(floor);
  console.log(`floor (go build + start to first response): median ${fmt(f)}, of which go build ${fmt(median(floorBuilds))}`);
  console.log('');
  console.log(
    'strategy | save → first new response (median) | vs floor | engine build / stop / start (medians) | failed / total under load (2 fresh + 2 keep-alive clients) | keep-alive retries',
  );
  for (const s of subjects) {
    const m = median(s.saves);
    const l = s.load!;
    const phases = `${fmt(median(s.phases.map((p) => p.build)))} / ${fmt(median(s.phases.map((p) => p.stop)))} / ${fmt(median(s.phases.map((p) => p.start)))}`;
    console.log(`${s.name.padEnd(8)} | ${fmt(m).padStart(10)} | ${(m / f).toFixed(3)}x | ${phases} | ${l.failed} / ${l.ok + l.failed} | ${l.retried}`);
  }
  const d50 = percentile(latency.direct, 50);
  const d99 = percentile(latency.direct, 99);
  const p50 = percentile(latency.proxied, 50);
  const p99 = percentile(latency.proxied, 99);
  console.log('');
  console.log(`proxy added latency (${LATENCY_REQUESTS} requests each way, one at a time, keep-alive, loopback):`);
  console.log(`  direct  p50 ${(d50 * 1000).toFixed(0)} µs, p99 ${(d99 * 1000).toFixed(0)} µs`);
  console.log(`  proxied p50 ${(p50 * 1000).toFixed(0)} µs, p99 ${(p99 * 1000).toFixed(0)} µs`);
  console.log(`  overhead p50 ${((p50 - d50) * 1000).toFixed(0)} µs, p99 ${((p99 - d99) * 1000).toFixed(0)} µs`);
  console.log('');
  console.log('targets: 0 failed with handoff and proxy; proxy p99 overhead < 1 ms; save → first new response within 1.10x the floor');
  for (const dir of [floorDir, ...subjects.map((s) => s.dir)]) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
