/**
 * Reload latency against the floor, and the watcher's cost on a large tree.
 *
 * Floor: `go build` of the same change plus start to the first response that
 * shows it, with no tool. Engine: save to the first new response, through the
 * watcher (a save outside the editor) and through the editor-save API. Both are
 * measured in one run, interleaved, so the ratio survives a noisy machine.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession } from '../src/engine';
import { setGreeting } from '../test/integration/harness';
import { copyExample } from '../test/support/examples';
import { Load } from '../test/support/load';
import { freePort } from '../test/support/ports';
import { fmt, median } from './stats';
import { measureWatchers } from './watcherCost';
import { waitForBody } from './poll';

const RELOADS = Number(process.env.BENCH_RELOADS ?? 10);
let measuringLoad = false;

/**
 * The floor, done by hand the way the engine does it: the old version keeps
 * running while `go build` works, then it is stopped and the new one started.
 * The same poll measures both sides, so the instrument costs them alike.
 */
let floorServer: ChildProcess | undefined;
const floorBuilds: number[] = [];

async function floorOnce(dir: string, port: number, text: string): Promise<number> {
  setGreeting(dir, text);
  const out = path.join(dir, `.floor-bin-${text.replace(/\W/g, '')}`);
  const started = Date.now();
  const seen = waitForBody(port, text);
  await new Promise<void>((resolve, reject) =>
    execFile('go', ['build', '-o', out, '.'], { cwd: dir }, (err) => (err ? reject(new Error(err.message)) : resolve())),
  );
  floorBuilds.push(Date.now() - started);
  if (floorServer) await stopFloor();
  floorServer = spawn(out, [], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
  const elapsed = (await seen) - started;
  fs.rmSync(out, { force: true });
  return elapsed;
}

async function stopFloor(): Promise<void> {
  const child = floorServer;
  floorServer = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  console.log(`# reload benchmark: ${RELOADS} reloads each, examples/hello, ${os.cpus().length} cores`);
  const floorDir = copyExample('hello');
  const engineDir = copyExample('hello');
  const floorPort = await freePort();
  const enginePort = await freePort();
  // Warm the build cache for both copies so neither side pays for a cold cache.
  execFileSync('go', ['build', '-o', path.join(floorDir, '.floor-bin'), '.'], { cwd: floorDir, stdio: 'ignore' });

  const { session, problems } = await openSession(engineDir, [{ env: { PORT: String(enginePort) } }]);
  if (!session) throw new Error(JSON.stringify(problems));
  const reports: { detect: number; build: number; stop: number; start: number }[] = [];
  session.events.on((e) => {
    if (e.type === 'reload' && e.report.outcome === 'restarted' && !measuringLoad) {
      const p = e.report.phases;
      reports.push({ detect: p.detectMs, build: p.buildMs, stop: p.stopMs, start: p.startMs });
    }
  });
  await session.start();
  await waitForBody(enginePort, 'hello, world');
  await sleep(500);

  const floor: number[] = [];
  const watched: number[] = [];
  const saved: number[] = [];
  for (let i = 0; i < RELOADS; i++) {
    floor.push(await floorOnce(floorDir, floorPort, `floor ${i}`));

    let t0 = Date.now();
    setGreeting(engineDir, `watched ${i}`);
    watched.push((await waitForBody(enginePort, `watched ${i}`)) - t0);
    await sleep(200);

    t0 = Date.now();
    setGreeting(engineDir, `saved ${i}`);
    void session.notifySaved([path.join(engineDir, 'greeting.go')]);
    saved.push((await waitForBody(enginePort, `saved ${i}`)) - t0);
    await sleep(200);
  }
  await stopFloor();
  // Failed requests are counted in a separate phase, so the load does not slow the latency figures.
  measuringLoad = true;
  const load = new Load(enginePort, { fresh: 4, keepAlive: 0, pauseMs: 0, path: '/', timeoutMs: 5000 });
  for (let i = 0; i < RELOADS; i++) {
    setGreeting(engineDir, `loaded ${i}`);
    await waitForBody(enginePort, `loaded ${i}`);
    await sleep(200);
  }
  const requests = await load.stop();
  await session.dispose();

  const f = median(floor);
  console.log(`floor (go build + start to first response): median ${fmt(f)}`);
  console.log(`engine, file watcher:  median ${fmt(median(watched))}  ratio ${(median(watched) / f).toFixed(3)}x floor`);
  console.log(`engine, editor save:   median ${fmt(median(saved))}  ratio ${(median(saved) / f).toFixed(3)}x floor`);
  console.log(`floor's go build alone: median ${fmt(median(floorBuilds))}`);
  console.log(
    `engine phases (median): detect ${fmt(median(reports.map((r) => r.detect)))}, build ${fmt(median(reports.map((r) => r.build)))}, stop ${fmt(median(reports.map((r) => r.stop)))}, start ${fmt(median(reports.map((r) => r.start)))}`,
  );
  console.log(`requests during ${RELOADS} restart-strategy reloads under load (4 clients): ${requests.failed} failed / ${requests.ok + requests.failed} total`);
  console.log('target: engine median within 1.10x the floor');

  if (process.env.BENCH_SKIP_WATCHER !== '1') {
    console.log('');
    await measureWatchers(Number(process.env.BENCH_TREE_FILES ?? 50000));
  }
  fs.rmSync(floorDir, { recursive: true, force: true });
  fs.rmSync(engineDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
