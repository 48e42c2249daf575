/**
 * Remote-target benchmark: save → the first response of the new version from a program running in
 * a Docker container (a FROM scratch image on the host's network), against the same reload of the
 * same program on this machine, in one run. Rounds interleave the two sessions and the ratio is
 * taken round by round, so a noisy machine moves both sides alike. With the handoff strategy
 * (examples/handoff) on both sides, and with restart.
 *
 * A container build is static (CGO_ENABLED=0, so it runs in any image), which links faster than a
 * default local build of a program using net (cgo, the external linker). So a third side, local
 * with CGO_ENABLED=0, isolates what the container itself costs: shipping and the far supervisor.
 *
 * Needs a Docker Engine (DOCKER_HOST, as .ci/run starts one). BENCH_ROUNDS (default 10) sets the
 * rounds per strategy. Target: the container's reload within 1.2× the local one.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, type PartialSettings, type Session, type Strategy } from '../src/engine';
import { setGreeting } from '../test/integration/harness';
import { copyExample } from '../test/support/examples';
import { freePort } from '../test/support/ports';
import { dockerMissing, startContainer } from '../test/support/remote';
import { fmt, median, percentile } from './stats';
import { waitForBody } from './poll';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

interface Side {
  dir: string;
  port: number;
  session: Session;
  times: number[];
}

async function open(strategy: Strategy, layer: PartialSettings): Promise<Side> {
  const dir = copyExample('handoff');
  const port = await freePort();
  const { session, problems } = await openSession(dir, [{ strategy, env: { PORT: String(port) }, ...layer }], { watch: false });
  if (!session) throw new Error(JSON.stringify(problems));
  const side: Side = { dir, port, session, times: [] };
  await session.start();
  await waitForBody(port, 'hello, world', 120_000);
  return side;
}

async function reload(side: Side, text: string): Promise<number> {
  const t0 = Date.now();
  setGreeting(side.dir, text);
  void side.session.notifySaved([path.join(side.dir, 'greeting.go')]);
  return (await waitForBody(side.port, text)) - t0;
}

async function compare(strategy: Strategy, container: string): Promise<void> {
  const local = await open(strategy, {});
  const localStatic = await open(strategy, { buildEnv: { CGO_ENABLED: '0' } });
  const far = await open(strategy, { container });
  const sides = [local, localStatic, far];
  try {
    for (const side of sides) await reload(side, 'warm');
    const vsLocal: number[] = [];
    const vsStatic: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Rotate which side goes first.
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(i + k) % sides.length];
        side.times.push(await reload(side, `round ${i}`));
        await sleep(150);
      }
      vsLocal.push(far.times[i] / local.times[i]);
      vsStatic.push(far.times[i] / localStatic.times[i]);
    }
    const ratio = (r: number[]) => `median ${median(r).toFixed(2)}×, p90 ${percentile(r, 90).toFixed(2)}×`;
    console.log(
      `${strategy.padEnd(7)} | local ${fmt(median(local.times))} · local static ${fmt(median(localStatic.times))} · container ${fmt(median(far.times))} | ` +
        `container ÷ local: ${ratio(vsLocal)} | container ÷ local static: ${ratio(vsStatic)}`,
    );
  } finally {
    for (const side of sides) await side.session.dispose();
  }
}

async function main(): Promise<void> {
  const missing = dockerMissing();
  if (missing) throw new Error(`the remote benchmark needs a Docker Engine: ${missing}`);
  console.log(
    `# remote-target benchmark: ${ROUNDS} interleaved rounds per strategy, examples/handoff, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  const container = startContainer();
  try {
    console.log('strategy | save → new response, medians | the ratios, taken round by round');
    for (const strategy of ['handoff', 'restart'] as const) await compare(strategy, container.name);
  } finally {
    container.remove();
  }
  console.log('');
  console.log('target: the container within 1.2× the local reload (median of the per-round ratios)');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
