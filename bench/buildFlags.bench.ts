/**
 * Which `go build` flags pay for a rebuild, measured where they could: examples/hello inside a git
 * checkout with thousands of files (BENCH_REPO_FILES, default 5000), so that VCS stamping runs
 * `git status` over all of them. Each round changes the program and builds it once per flag set,
 * in a rotating order; the ratio to plain `go build` is taken round by round. Go's own defaults
 * are measured (GOENV=off), whatever the machine's `go env -w` says.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExample } from '../test/support/examples';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const FILES = Number(process.env.BENCH_REPO_FILES ?? 5000);

const VARIANTS: Record<string, string[]> = {
  'go build': [],
  '-ldflags=-s -w': ['-ldflags=-s -w'],
  '-buildvcs=false': ['-buildvcs=false'],
  '-trimpath': ['-trimpath'],
  'engine: -ldflags=-s -w -buildvcs=false': ['-ldflags=-s -w', '-buildvcs=false'],
};

function checkout(): { repo: string; app: string } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-vcs-'));
  const app = copyExample('hello', path.join(repo, 'app'));
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(repo, 'docs', `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `f${i}.md`), `note ${i}\n`);
  }
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', ...args], { cwd: repo, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'bench');
  return { repo, app };
}

function main(): void {
  const machineFlags = execFileSync('go', ['env', 'GOFLAGS'], { encoding: 'utf8' }).trim();
  process.env.GOENV = 'off';
  delete process.env.GOFLAGS;
  const { repo, app } = checkout();
  console.log(
    `# go build flags: examples/hello in a git checkout of ${FILES + 3} files, ${ROUNDS} rounds, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`,
  );
  if (machineFlags) console.log(`# (this machine's go env sets GOFLAGS=${machineFlags}; measured with GOENV=off, Go's defaults)`);
  const out = path.join(repo, 'bin');
  const build = (flags: string[]) => {
    const t0 = process.hrtime.bigint();
    execFileSync('go', ['build', '-o', out, ...flags, '.'], { cwd: app, stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const names = Object.keys(VARIANTS);
  for (const name of names) build(VARIANTS[name]); // warm each flag set's cache (-trimpath compiles the standard library anew)
  const times = new Map(names.map((n) => [n, [] as number[]]));
  const ratios = new Map(names.map((n) => [n, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    const thisRound = new Map<string, number>();
    for (const name of order) {
      fs.writeFileSync(path.join(app, 'greeting.go'), `package main\n\nfunc greeting() string {\n\treturn "round ${round} ${name}"\n}\n`);
      thisRound.set(name, build(VARIANTS[name]));
    }
    for (const name of names) {
      times.get(name)!.push(thisRound.get(name)!);
      ratios.get(name)!.push(thisRound.get(name)! / thisRound.get('go build')!);
    }
  }
  console.log('flags | median build | median ratio to go build (per round)');
  for (const name of names) console.log(`${name.padEnd(40)} | ${fmt(median(times.get(name)!)).padStart(9)} | ${median(ratios.get(name)!).toFixed(3)}x`);
  fs.rmSync(repo, { recursive: true, force: true });
}

main();
