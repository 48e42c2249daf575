/**
 * Kubernetes-target benchmark: save → the first response of the new version from a program running
 * in a pod (a Deployment of a FROM scratch image in the real test cluster, on the node's network),
 * against the same reload of the same program on this machine and, when a Docker Engine is there,
 * in a container. Rounds interleave the sides and the ratios are taken round by round in one run.
 * Handoff on every side; examples/handoff, then a generated 60-package program (a bigger binary
 * to ship).
 *
 * Every side is polled at the program's own port every 5 ms: polling through the port-forward
 * would open a kubectl stream per poll and load the machine the build runs on. What the forward
 * adds to the user's one request is measured apart, after the rounds.
 *
 * A far build is static (CGO_ENABLED=0); "local static" is the same build run here, so
 * pod ÷ local static isolates what the pod itself costs (shipping, kubectl exec, the forward).
 *
 * Needs the test cluster (HOTRELOAD_KUBE_DIR, as .ci/run starts one, or root with the binaries
 * built by scripts/install-kube.sh). BENCH_ROUNDS (default 10). Target: the pod within 1.3× local.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, type PartialSettings, type Session } from '../src/engine';
import { setGreeting } from '../test/integration/harness';
import { copyExample } from '../test/support/examples';
import { httpGet } from '../test/support/http';
import { kubeMissing } from '../test/support/kube';
import { openKubeApp, type KubeApp } from '../test/support/kubeApp';
import { tempDir } from '../test/support/files';
import { freePort } from '../test/support/ports';
import { eventually } from '../test/support/waiting';
import { dockerMissing, startContainer } from '../test/support/remote';
import { fmt, median, percentile } from './stats';
import { generateBigProgram } from './bigProgram';
import { waitForBody } from './poll';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

/** A program to reload: a fresh copy of it, and the edit that makes it answer `text`. */
interface Program {
  name: string;
  copy(): string;
  edit(dir: string, text: string): { file: string; body: string };
}

const SMALL: Program = {
  name: 'examples/handoff',
  copy: () => copyExample('handoff'),
  edit: (dir, text) => {
    setGreeting(dir, text);
    return { file: path.join(dir, 'greeting.go'), body: text };
  },
};

let bigTemplate: string | undefined;
const BIG: Program = {
  name: 'a generated 60-package program',
  copy: () => {
    bigTemplate ??= generateBigProgram(60, 250, { patchable: false });
    const dir = tempDir('hr-big-copy-');
    fs.cpSync(bigTemplate, dir, { recursive: true });
    return dir;
  },
  edit: (dir, text) => {
    const file = path.join(dir, 'main.go');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/const hostVersion = ".*"/, `const hostVersion = ${JSON.stringify(text)}`));
    return { file, body: text };
  },
};

interface Side {
  name: string;
  dir: string;
  port: number;
  session: Session;
  times: number[];
}

async function open(program: Program, name: string, layer: PartialSettings, port?: number): Promise<Side> {
  const dir = program.copy();
  const programPort = port ?? (await freePort());
  const { session, problems } = await openSession(dir, [{ strategy: 'handoff', env: { PORT: String(programPort) }, ...layer }], { watch: false });
  if (!session) throw new Error(JSON.stringify(problems));
  const side: Side = { name, dir, port: programPort, session, times: [] };
  await session.start();
  await reload(program, side, 'first');
  return side;
}

async function reload(program: Program, side: Side, text: string): Promise<number> {
  const t0 = Date.now();
  const { file, body } = program.edit(side.dir, text);
  void side.session.notifySaved([file]);
  return (await waitForBody(side.port, body, 240_000)) - t0;
}

/** Interleaved rounds of one program on every side; prints the medians and the pod's ratios, round by round. */
async function compare(program: Program, app: KubeApp, container: string | undefined): Promise<void> {
  const sides: Side[] = [];
  try {
    sides.push(await open(program, 'local', {}));
    sides.push(await open(program, 'local static', { buildEnv: { CGO_ENABLED: '0' } }));
    if (container) sides.push(await open(program, 'container', { container }));
    const pod = await open(program, 'pod', app.target, app.port);
    sides.push(pod);
    const ratios = new Map(sides.filter((s) => s !== pod).map((s) => [s.name, [] as number[]]));
    for (let i = 0; i < ROUNDS; i++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(i + k) % sides.length];
        side.times.push(await reload(program, side, `round ${i}`));
        await sleep(150);
      }
      for (const side of sides) if (side !== pod) ratios.get(side.name)!.push(pod.times[i] / side.times[i]);
    }
    console.log(`${program.name}: save → new response, medians: ${sides.map((s) => `${s.name} ${fmt(median(s.times))}`).join(' · ')}`);
    for (const [name, r] of ratios) console.log(`  pod ÷ ${name}: median ${median(r).toFixed(2)}×, p90 ${percentile(r, 90).toFixed(2)}×`);
    const forwarded = await eventually('the forwarded address', () => (pod.session.url ? Number(new URL(pod.session.url).port) : undefined), {
      timeoutMs: 30_000,
    });
    const perGet = async (port: number) => {
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) await httpGet(port, '/', 2000);
      return (performance.now() - t0) / 50;
    };
    console.log(
      `  one fresh GET: at the pod's port ${(await perGet(pod.port)).toFixed(1)} ms · through the engine's port-forward ${(await perGet(forwarded)).toFixed(1)} ms`,
    );
  } finally {
    for (const side of sides) await side.session.dispose();
  }
}

async function main(): Promise<void> {
  const missing = kubeMissing();
  if (missing) throw new Error(`the Kubernetes benchmark needs the test cluster: ${missing}`);
  console.log(`# kubernetes-target benchmark: ${ROUNDS} interleaved rounds, handoff, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
  const app = await openKubeApp('hr-bench');
  const container = dockerMissing() ? undefined : startContainer();
  if (!container) console.log('# no Docker Engine: the container side is left out');
  try {
    for (const program of [SMALL, BIG]) await compare(program, app, container?.name);
    console.log('');
    console.log('target: the pod within 1.3× the local reload (median of the per-round ratios)');
  } finally {
    container?.remove();
    app.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
