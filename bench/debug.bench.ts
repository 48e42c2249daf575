/**
 * Save → debugger attached to the new version, against the same reload without the debugger, on
 * examples/hello, in one run with rounds interleaved (the ratio is taken per round). Beside them,
 * the other way to follow a new version that the issue asked about: Delve's own DAP `restart`
 * (rebuild: false, the new binary put at the path Delve runs), timed from the same save.
 *
 *   npm run build && npm run compile-tests && node out/bench/debug.bench.js
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, type Session } from '../src/engine';
import { setGreeting } from '../test/integration/harness';
import { DapClient } from '../test/support/dapClient';
import { copyExample } from '../test/support/examples';
import { freePort } from '../test/support/ports';
import { eventually } from '../test/support/waiting';
import { waitForBody } from './poll';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

async function open(dir: string, port: number, debug: boolean): Promise<Session> {
  const { session, problems } = await openSession(dir, [{ env: { PORT: String(port) }, strategy: 'restart', debug }]);
  if (!session) throw new Error(JSON.stringify(problems));
  await session.start();
  await waitForBody(port, 'hello, world', 180_000);
  return session;
}

/** Delve's restart: one dlv for every version, the new binary renamed over the one it runs. */
async function delveRestart(dir: string, port: number) {
  const dlv = path.join(execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim(), 'bin', 'dlv');
  const dapPort = await freePort();
  const target = path.join(dir, '.target');
  const build = (out: string) => execFileSync('go', ['build', '-gcflags=all=-N -l', '-ldflags=-compressdwarf=false', '-o', out, '.'], { cwd: dir });
  build(target);
  const child = spawn(dlv, ['dap', `--listen=127.0.0.1:${dapPort}`], {
    env: { ...process.env, PORT: String(port), GO_TELEMETRY_CHILD: '2' },
    stdio: 'ignore',
    detached: true,
  });
  const client = await eventually('dlv listens', () => DapClient.connect(`127.0.0.1:${dapPort}`).catch(() => undefined), { timeoutMs: 30_000 });
  await client.request('initialize', { adapterID: 'go', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  await client.request('launch', { mode: 'exec', program: target, cwd: dir, env: { GO_TELEMETRY_CHILD: null } });
  await client.event('initialized');
  await client.setBreakpoints(path.join(dir, 'main.go'), [18]);
  await client.request('configurationDone');
  await waitForBody(port, 'hello, world', 60_000);
  return {
    /** Save → the new version serving, with Delve's restart. */
    async reload(text: string): Promise<number> {
      const t0 = Date.now();
      setGreeting(dir, text);
      const next = path.join(dir, '.target-next');
      build(next);
      fs.renameSync(next, target);
      const initialized = client.nextEvent('initialized');
      await client.request('restart', { arguments: { request: 'launch', mode: 'exec', program: target, rebuild: false } });
      await initialized;
      await client.request('configurationDone');
      return (await waitForBody(port, text)) - t0;
    },
    async stop(): Promise<void> {
      // Delve puts its program in a process group of its own: end the program, then Delve.
      await client.request('disconnect', { terminateDebuggee: true });
      client.close();
      for (const e of client.events.filter((e) => e.event === 'process')) {
        try {
          process.kill(Number(e.body?.systemProcessId), 'SIGKILL');
        } catch {
          // gone with Delve
        }
      }
      process.kill(-child.pid!, 'SIGKILL');
    },
  };
}

async function main(): Promise<void> {
  console.log(`# debug benchmark: ${ROUNDS} rounds, examples/hello, restart strategy, ${os.cpus().length} cores (shared: figures are noisy)`);
  const plainDir = copyExample('hello');
  const debugDir = copyExample('hello');
  const restartDir = copyExample('hello');
  const [plainPort, debugPort, restartPort] = [await freePort(), await freePort(), await freePort()];
  const plain = await open(plainDir, plainPort, false);
  const debug = await open(debugDir, debugPort, true);
  const client = await DapClient.connect(debug.debugAddress!);
  // A breakpoint off the request path: each new version gets it before it runs.
  await client.start({ [path.join(debugDir, 'main.go')]: [18] });
  const restart = await delveRestart(restartDir, restartPort);

  const rows: { plain: number; attached: number; serving: number; restart: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = Date.now();
    setGreeting(plainDir, `plain ${i}`);
    void plain.notifySaved([path.join(plainDir, 'greeting.go')]);
    const plainMs = (await waitForBody(plainPort, `plain ${i}`)) - t0;
    await sleep(200);

    t0 = Date.now();
    setGreeting(debugDir, `debug ${i}`);
    const version = (debug.currentVersion ?? 0) + 1;
    void debug.notifySaved([path.join(debugDir, 'greeting.go')]);
    const attachedAt = await eventually('the debugger follows the new version', () => client.consoleText().includes(`debugging v${version} `) && Date.now(), {
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    const servingMs = (await waitForBody(debugPort, `debug ${i}`)) - t0;
    await sleep(200);

    const restartMs = await restart.reload(`restart ${i}`);
    await sleep(200);
    rows.push({ plain: plainMs, attached: attachedAt - t0, serving: servingMs, restart: restartMs });
    console.log(
      `round ${i + 1}: no debugger ${fmt(plainMs)} · debugger attached ${fmt(attachedAt - t0)} (serving ${fmt(servingMs)}) · Delve restart ${fmt(restartMs)}`,
    );
  }
  await restart.stop();
  client.close();
  await debug.dispose();
  await plain.dispose();

  const ratios = rows.map((r) => Math.max(r.attached, r.serving) / r.plain);
  console.log('');
  console.log('| save → | median |');
  console.log('| --- | --- |');
  console.log(`| new version serving, no debugger | ${fmt(median(rows.map((r) => r.plain)))} |`);
  console.log(`| debugger attached to the new version (a Delve per version, breakpoints replayed) | ${fmt(median(rows.map((r) => r.attached)))} |`);
  console.log(`| new version serving under the debugger | ${fmt(median(rows.map((r) => r.serving)))} |`);
  console.log(`| new version serving with Delve's own restart (rebuild: false) | ${fmt(median(rows.map((r) => r.restart)))} |`);
  console.log(`ratio per round (debugger attached and serving / no debugger): median ${median(ratios).toFixed(2)}x; target ≤ 1.5x`);
  for (const dir of [plainDir, debugDir, restartDir]) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
