/**
 * What build progress costs a warm rebuild: examples/hello changed and built once per round each
 * way, in alternating order; the ratio is taken round by round. "before": `go build` with the
 * engine's flags as it ran before progress; "with progress": the engine's GoBuilder as a reload
 * runs it now (`-v`, its output parsed, the package count timer armed and, for a build that ends
 * within a second, never fired). Uses the machine's Go caches as every build does, warmed first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultSettings } from '../src/engine/settings/defaults';
import { GoBuilder } from '../src/engine/languages/go/goBuilder';
import { goBuildArgs } from '../src/engine/languages/go/buildFlags';
import { runCommand } from '../src/engine/processes/runCommand';
import { copyExample } from '../test/support/examples';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

async function main(): Promise<void> {
  const app = copyExample('hello');
  const settings = { ...defaultSettings(app), moduleRoot: app, package: '.' };
  const out = path.join(os.tmpdir(), `hr-progress-bench-${process.pid}`);
  const signal = new AbortController().signal;
  let progressEvents = 0;
  const builder = new GoBuilder(settings);
  const variants: Record<string, () => Promise<unknown>> = {
    before: () => runCommand('go', ['build', '-o', out, ...goBuildArgs(settings).flags, '.'], { cwd: app, env: process.env, signal }),
    'with progress': () => builder.build(out, signal, { onProgress: () => progressEvents++ }),
  };
  const names = Object.keys(variants);
  for (const name of names) await variants[name]();
  console.log(`# build progress cost: examples/hello, warm cache, ${ROUNDS} rounds, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
  const times = new Map(names.map((n) => [n, [] as number[]]));
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const thisRound = new Map<string, number>();
    for (const name of order) {
      fs.writeFileSync(path.join(app, 'greeting.go'), `package main\n\nfunc greeting() string {\n\treturn "round ${round} ${name}"\n}\n`);
      const t0 = process.hrtime.bigint();
      await variants[name]();
      thisRound.set(name, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    for (const name of names) times.get(name)!.push(thisRound.get(name)!);
    ratios.push(thisRound.get('with progress')! / thisRound.get('before')!);
  }
  console.log('build | median | median ratio to before (per round)');
  for (const name of names)
    console.log(`${name.padEnd(13)} | ${fmt(median(times.get(name)!)).padStart(9)} | ${name === 'before' ? '1.000x' : `${median(ratios).toFixed(3)}x`}`);
  console.log(`# progress events from the warm builds: ${progressEvents} (the parser sees each compiled package; the session shows none before a second)`);
  fs.rmSync(app, { recursive: true, force: true });
  fs.rmSync(out, { force: true });
}

void main();
