/**
 * Live patch against handoff and the floor, on the game example and on a
 * larger standard-library-only program, plus the process memory after 100
 * patches. Save-to-new-behaviour: from writing the file to the first response
 * that shows the change. Floor: `go build` of a change to the program plus
 * start to the first response, with no tool.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, type Session } from '../src/engine';
import { residentBytes } from '../src/engine/processes/processTree';
import { httpGet } from '../test/support/http';
import { freePort } from '../test/support/ports';
import { eventually } from '../test/support/waiting';
import { copyExampleForBuild } from '../test/integration/zeroDowntime';
import { generateBigProgram, rulesSource } from './bigProgram';
import { fmt, median } from './stats';
import { firstResponse } from './poll';

const N = Number(process.env.BENCH_RELOADS ?? 8);
const PATCHES_FOR_MEMORY = Number(process.env.BENCH_PATCHES ?? 100);

interface Program {
  name: string;
  dir: string;
  /** Changes the host (not the plugin) so that a full build is needed; returns what `/` shows after. */
  changeHost(i: number): string;
  /** Changes the rules plugin; returns what `/` shows after. */
  changeRules(i: number): string;
}

function game(): Program {
  const dir = copyExampleForBuild('game');
  const rulesFile = path.join(dir, 'rules', 'rules.go');
  const worldFile = path.join(dir, 'world', 'world.go');
  const base = fs.readFileSync(worldFile, 'utf8');
  return {
    name: 'examples/game',
    dir,
    changeHost(i) {
      fs.writeFileSync(worldFile, `${base}\n// host change ${i}\nconst Edition = ${i}\n`);
      return '';
    },
    changeRules(i) {
      fs.writeFileSync(rulesFile, fs.readFileSync(rulesFile, 'utf8').replace(/return "rules [^"]*"/, `return "rules p${i}"`));
      return `rules p${i}`;
    },
  };
}

function big(): Program {
  const dir = generateBigProgram();
  const mainFile = path.join(dir, 'main.go');
  return {
    name: 'generated large program (60 packages)',
    dir,
    changeHost(i) {
      fs.writeFileSync(mainFile, fs.readFileSync(mainFile, 'utf8').replace(/const hostVersion = "[^"]*"/, `const hostVersion = "host h${i}"`));
      return `host h${i}`;
    },
    changeRules(i) {
      fs.writeFileSync(path.join(dir, 'rules', 'rules.go'), rulesSource(`rules p${i}`));
      return `rules p${i}`;
    },
  };
}

/** go build of a host change plus start to the first response, no tool. */
async function floor(p: Program): Promise<number[]> {
  const times: number[] = [];
  const port = await freePort();
  const out = path.join(p.dir, '.floor-bin');
  execFileSync('go', ['build', '-o', out, '.'], { cwd: p.dir, stdio: 'ignore' });
  for (let i = 0; i < N; i++) {
    p.changeHost(1000 + i);
    const t0 = Date.now();
    execFileSync('go', ['build', '-o', out, '.'], { cwd: p.dir, stdio: 'ignore' });
    const child = spawn(out, [], { cwd: p.dir, env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
    times.push((await firstResponse(port, () => true)) - t0);
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  fs.rmSync(out, { force: true });
  return times;
}

async function withSession<T>(p: Program, port: number, patchLimit: number, fn: (s: Session) => Promise<T>): Promise<T> {
  const { session, problems } = await openSession(p.dir, [{ strategy: 'patch', env: { PORT: String(port) }, patchLimit }]);
  if (!session) throw new Error(JSON.stringify(problems));
  if (process.env.BENCH_VERBOSE) session.events.on((e) => e.type !== 'output' && console.error(JSON.stringify(e).slice(0, 400)));
  try {
    await session.start();
    await firstResponse(port, (b) => b.includes('rules'));
    // The program may answer (from the socket the engine holds) a moment before its start is reported.
    await eventually('the first version running', () => session.currentState === 'running', { timeoutMs: 10_000 });
    return await fn(session);
  } finally {
    await session.dispose();
  }
}

function nextReport(s: Session): Promise<string> {
  return new Promise((resolve) => {
    const sub = s.events.on((e) => {
      if (e.type === 'reload') {
        sub.dispose();
        resolve(e.report.outcome);
      }
    });
  });
}

async function measure(p: Program): Promise<void> {
  console.log(`\n## ${p.name}`);
  const floorTimes = await floor(p);
  const port = await freePort();
  const patch: number[] = [];
  const handoff: number[] = [];
  await withSession(p, port, 1000, async (s) => {
    await sleep(300);
    for (let i = 0; i < N; i++) {
      const outcome = nextReport(s);
      let t0 = Date.now();
      const rules = p.changeRules(i);
      patch.push((await firstResponse(port, (b) => b.includes(rules))) - t0);
      if ((await outcome) !== 'patched') throw new Error(`expected a patch, got ${await outcome}`);
      await sleep(150);

      const handed = nextReport(s);
      t0 = Date.now();
      const pid = (await httpGet(port, '/pid')).body;
      const host = p.changeHost(i);
      handoff.push(
        (await firstResponse(port, (b) => (host ? b.includes(host) : true) && b.length > 0).then(async (t) =>
          host ? t : firstResponse(port, (b) => b !== pid, 120000, '/pid'),
        )) - t0,
      );
      if ((await handed) !== 'handed-off') throw new Error(`expected a handoff, got ${await handed}`);
      await sleep(300);
    }
  });
  const f = median(floorTimes);
  console.log(`floor (go build of a host change + start to first response): median ${fmt(f)}`);
  console.log(`patch   save-to-new-behaviour: median ${fmt(median(patch))}  (${(median(patch) / f).toFixed(3)}x floor)`);
  console.log(`handoff save-to-new-behaviour: median ${fmt(median(handoff))}  (${(median(handoff) / f).toFixed(3)}x floor)`);

  await withSession(p, port, PATCHES_FOR_MEMORY + 10, async (s) => {
    const pid = s.currentProgram!.pid;
    const before = residentBytes(pid) ?? 0;
    for (let i = 0; i < PATCHES_FOR_MEMORY; i++) {
      const outcome = nextReport(s);
      p.changeRules(5000 + i);
      if ((await outcome) !== 'patched') throw new Error('a patch fell back during the memory run');
    }
    const after = residentBytes(pid) ?? 0;
    console.log(
      `process memory: ${(before / 1024 / 1024).toFixed(1)} MB at start, ${(after / 1024 / 1024).toFixed(1)} MB after ${PATCHES_FOR_MEMORY} patches (same pid ${pid === s.currentProgram?.pid ? 'yes' : 'NO'})`,
    );
  });
}

async function main(): Promise<void> {
  console.log(`# patch benchmark: ${N} reloads per figure`);
  await measure(game());
  const b = big();
  execFileSync('go', ['build', '-o', path.join(b.dir, '.warm'), '.'], { cwd: b.dir, stdio: 'ignore' });
  await measure(b);
  console.log('\ntarget: patch at most half the floor on the larger program');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
