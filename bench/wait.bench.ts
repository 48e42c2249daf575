/**
 * What `hotreload wait` costs a script, on examples/hello (the restart strategy, this machine): a
 * write of greeting.go (no editor save: a script's or an agent's write), then
 *
 * - wait: the control client (as the MCP server and VS Code's tools use it: connect, hello, wait)
 *   until its answer, against
 * - poll: GET / every millisecond until the first answer with the new text (what a script does
 *   without wait, or a person pressing reload at the right moment).
 *
 * Both watch the same save, so a build's time (seconds, and varying by hundreds of ms on a busy
 * machine) is no part of the figure: each round gives wait − poll, the time wait's answer comes
 * after the new version first answered. Rounds alternate which of the two starts first. The target
 * is a median of at most 10 ms. Then save → answer in rounds of their own, alternating: poll alone
 * (the build starts from the watcher's event) against wait alone (its catch-up starts it). The
 * CLI's own process (`hotreload wait` in a shell: Node's start-up and a connect) is timed apart, as
 * a cost of the process, not of the wait. BENCH_ROUNDS rounds (default 10).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlClient, ControlEndpoint } from '../src/engine';
import { TestSession } from '../test/integration/harness';
import { copyExample, repoRoot } from '../test/support/examples';
import { tempDir } from '../test/support/files';
import { httpGetOrError } from '../test/support/http';
import { freePort } from '../test/support/ports';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const TARGET_MS = 10;

function write(dir: string, text: string): number {
  const started = performance.now();
  fs.writeFileSync(path.join(dir, 'greeting.go'), `package main\n\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`);
  return started;
}

/** Save → the first answer with `text`, asking every millisecond. */
async function byPolling(dir: string, port: number, text: string): Promise<number> {
  return poll(port, text, write(dir, text));
}

async function poll(port: number, text: string, started: number): Promise<number> {
  for (;;) {
    const answer = await httpGetOrError(port, '/', 2000);
    if ('body' in answer && answer.body === text) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Save → wait's answer (connecting as a tool call does); then checks that the new text answers. */
async function byWait(dir: string, port: number, text: string): Promise<number> {
  return wait(dir, port, text, write(dir, text));
}

async function wait(dir: string, port: number, text: string, started: number): Promise<number> {
  const client = await ControlClient.connect({ cwd: dir });
  try {
    const result = await client.wait(120_000);
    const ms = performance.now() - started;
    if (result.outcome !== 'serving') throw new Error(`wait: ${result.outcome}: ${'message' in result ? result.message : ''}`);
    const answer = await httpGetOrError(port);
    if (!('body' in answer) || answer.body !== text) throw new Error(`wait returned, but the program answers ${JSON.stringify(answer)}`);
    return ms;
  } finally {
    client.dispose();
  }
}

/** `hotreload wait` in a process of its own, with nothing to wait for: what the CLI adds to a script. */
function cliWait(dir: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'wait'], { cwd: dir, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`hotreload wait exited ${code}`))));
  });
}

async function main(): Promise<void> {
  process.env.XDG_RUNTIME_DIR = tempDir('hr-bench-run-');
  const dir = copyExample('hello');
  const port = await freePort();
  const t = await TestSession.open(dir, { env: { PORT: String(port) } });
  const endpoint = await ControlEndpoint.open(t.session, { frontEnd: 'cli', stop: () => t.session.dispose() });
  try {
    await t.session.start();
    await t.report(1, 180_000);
    // Warm: the build cache, and one of each.
    await byPolling(dir, port, 'warm poll');
    await byWait(dir, port, 'warm wait');
    console.log(`# one save, both watching: ${ROUNDS} rounds (examples/hello, restart)`);
    console.log('round | started first | poll: save → first new response | wait: save → answer | wait − poll');
    const same: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const text = `both ${i}`;
      const started = write(dir, text);
      // Whichever starts first gets the first turn of the event loop; it alternates.
      const [p, w] =
        i % 2 === 0
          ? await Promise.all([poll(port, text, started), wait(dir, port, text, started)])
          : await Promise.all([wait(dir, port, text, started), poll(port, text, started)]).then(([a, b]) => [b, a]);
      same.push(w - p);
      console.log(
        `${String(i + 1).padStart(5)} | ${i % 2 === 0 ? 'poll' : 'wait'} | ${fmt(p).padStart(10)} | ${fmt(w).padStart(10)} | ${fmt(w - p).padStart(9)}`,
      );
    }
    const added = median(same);
    console.log(`wait − poll on the same save, median ${fmt(added)} (target ≤ ${TARGET_MS} ms): ${added <= TARGET_MS ? 'met' : 'NOT met'}`);

    console.log('');
    console.log(`# save → the new version, each alone: ${ROUNDS} pairs of rounds`);
    console.log('pair | poll: save → first new response | wait: save → answer | wait − poll');
    const pairs: { poll: number; wait: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let poll: number;
      let wait: number;
      // The order swaps each pair, so neither always follows the other.
      if (i % 2 === 0) {
        poll = await byPolling(dir, port, `poll ${i}`);
        wait = await byWait(dir, port, `wait ${i}`);
      } else {
        wait = await byWait(dir, port, `wait ${i}`);
        poll = await byPolling(dir, port, `poll ${i}`);
      }
      pairs.push({ poll, wait });
      console.log(`${String(i + 1).padStart(4)} | ${fmt(poll).padStart(10)} | ${fmt(wait).padStart(10)} | ${fmt(wait - poll).padStart(9)}`);
    }
    console.log(
      `median: poll ${fmt(median(pairs.map((p) => p.poll)))}, wait ${fmt(median(pairs.map((p) => p.wait)))}; wait − poll per pair, median ${fmt(median(pairs.map((p) => p.wait - p.poll)))} (builds vary: see the figure above)`,
    );
    const cli: number[] = [];
    for (let i = 0; i < 5; i++) cli.push(await cliWait(dir));
    console.log(`hotreload wait as a process with nothing to wait for (Node's start-up, a connect, the answer): median ${fmt(median(cli))}`);
  } finally {
    await t.dispose();
    await endpoint.dispose();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
