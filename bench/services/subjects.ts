/**
 * The subjects of the services benchmark, each a copy of examples/services (go.mod's replace made
 * absolute) on ports of its own: Hot Reload running the whole system from hotreload.toml; two air
 * instances, one per main, beside a db and a gateway the bench starts; and a developer's script
 * that builds both mains one after the other, then stops both and starts both.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSystem } from '../../src/engine';
import { defaultWorkDir } from '../../src/engine/settings/workDir';
import { copyExample } from '../../test/support/examples';
import { tempDir } from '../../test/support/files';
import { accepts } from '../../test/support/ports';
import { killProcessesUnder } from '../../test/support/processes';
import { eventually } from '../../test/support/waiting';
import { bothServing, freePorts, gatewayServing, Launcher, type Proc, type ServicesSubject } from './stack';

const MAINS = ['api', 'worker'] as const;
type Main = (typeof MAINS)[number];
/** What Text() returns in the example as it is. */
const INITIAL = 'hello';
/** A first start builds both mains cold (the module cache may be empty). */
const START_TIMEOUT_MS = 300_000;

/** A fresh copy of examples/services (go.mod's replace made absolute from the repository root), named apart from the tests' copies. */
const copyServices = () => copyExample('services', tempDir('hr-bench-services-'));

/** Hot Reload: `openSystem` on the copy's hotreload.toml; every port is "auto", so the engine picks them. */
export async function hotReloadServices(): Promise<ServicesSubject> {
  const dir = copyServices();
  const { system, problems } = await openSystem(dir, {});
  if (!system) throw new Error(`Hot Reload services: ${JSON.stringify(problems)}`);
  const ports = { api: system.port('api') ?? 0, worker: system.port('worker') ?? 0, gateway: system.port('gateway') ?? 0 };
  const stop = async () => {
    await system.dispose();
    killProcessesUnder(dir);
    fs.rmSync(defaultWorkDir(dir), { recursive: true, force: true });
    const open = Object.entries(ports).filter(([, port]) => port > 0);
    await eventually(`the ports of Hot Reload's services to be closed`, async () => (await Promise.all(open.map(([, p]) => accepts(p)))).every((a) => !a), {
      timeoutMs: 5000,
    });
  };
  try {
    if (Object.values(ports).includes(0)) throw new Error(`Hot Reload services: a service has no port: ${JSON.stringify(ports)}`);
    const started = await system.start();
    if (started.failed.length + started.held.length > 0) throw new Error(`Hot Reload services did not start: ${JSON.stringify(started)}`);
    await bothServing(ports, INITIAL, START_TIMEOUT_MS);
    await gatewayServing(ports.gateway);
    return { name: 'hotreload (hotreload.toml)', kind: 'hotreload', dir, ports, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * air's own .air.toml (`air init`, as its users start) made to build one main: cmd, bin and
 * entrypoint name it, include_ext is go. Everything else stays air's default, the 1000 ms delay
 * included (what the peers benchmark gives air); tmp is excluded by default.
 */
function airConfig(airBin: string, dir: string, main: Main): string {
  const scratch = fs.mkdtempSync(path.join(dir, 'tmp', 'air-init-'));
  execFileSync(airBin, ['init'], { cwd: scratch, stdio: 'ignore' });
  let text = fs.readFileSync(path.join(scratch, '.air.toml'), 'utf8');
  fs.rmSync(scratch, { recursive: true, force: true });
  const edits: [RegExp, string][] = [
    [/^(\s*)cmd = .*$/m, `$1cmd = "go build -o ./tmp/${main} ./cmd/${main}"`],
    [/^(\s*)bin = .*$/m, `$1bin = "./tmp/${main}"`],
    [/^(\s*)entrypoint = .*$/m, `$1entrypoint = ["./tmp/${main}"]`],
    [/^(\s*)include_ext = .*$/m, '$1include_ext = ["go"]'],
    [/^(\s*)log = "build-errors.log"$/m, `$1log = "build-errors-${main}.log"`],
  ];
  for (const [pattern, replacement] of edits) {
    if (!pattern.test(text)) throw new Error(`air init's .air.toml has no line matching ${pattern}`);
    text = text.replace(pattern, replacement);
  }
  if (!/exclude_dir = \[[^\]]*"tmp"/.test(text)) throw new Error('air init no longer excludes tmp');
  const file = `.air.${main}.toml`;
  fs.writeFileSync(path.join(dir, file), text);
  return file;
}

/** A copy with its ports, its launcher and its db started. */
async function peerCopy(): Promise<{ dir: string; launcher: Launcher; ports: { api: number; worker: number; gateway: number } }> {
  const dir = copyServices();
  const launcher = new Launcher(dir);
  const [api, worker, gateway, db] = await freePorts(4);
  await launcher.db(db);
  return { dir, launcher, ports: { api, worker, gateway } };
}

/** Two air instances, one per main, each with PORT set to its own port; the db and the gateway beside them. */
export async function airPair(airBin: string, gatewayJs: string): Promise<ServicesSubject> {
  const { dir, launcher, ports } = await peerCopy();
  try {
    for (const main of MAINS) launcher.start(`air-${main}`, airBin, ['-c', airConfig(airBin, dir, main)], { PORT: String(ports[main]) });
    await bothServing(ports, INITIAL, START_TIMEOUT_MS);
    await launcher.gateway(gatewayJs, ports);
  } catch (err) {
    await launcher.endAll();
    throw new Error(`air did not serve: ${(err as Error).message} (logs in ${launcher.logs})`, { cause: err });
  }
  return { name: 'air ×2 (one per main)', kind: 'peer', dir, ports, stop: () => launcher.endAll() };
}

function goBuild(launcher: Launcher, out: string, pkg: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('go', ['build', '-o', out, pkg], { cwd: launcher.dir, env: launcher.env() }, (err, _stdout, stderr) =>
      err ? reject(new Error(`go build ${pkg}: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

/**
 * A developer's script: `go build -o` the api, then the worker (Go's defaults), then stop both
 * (SIGTERM, waiting for each to exit) and start both.
 */
export async function byHandScript(gatewayJs: string): Promise<ServicesSubject> {
  const { dir, launcher, ports } = await peerCopy();
  const binary = (main: Main) => path.join(dir, 'tmp', 'by-hand', main);
  const running = new Map<Main, Proc>();
  const buildBoth = async () => {
    for (const main of MAINS) await goBuild(launcher, binary(main), `./cmd/${main}`);
  };
  const startBoth = () => {
    for (const main of MAINS) running.set(main, launcher.start(main, binary(main), [], { PORT: String(ports[main]) }));
  };
  try {
    await buildBoth();
    startBoth();
    await bothServing(ports, INITIAL, START_TIMEOUT_MS);
    await launcher.gateway(gatewayJs, ports);
  } catch (err) {
    await launcher.endAll();
    throw new Error(`the by-hand script did not serve: ${(err as Error).message} (logs in ${launcher.logs})`, { cause: err });
  }
  return {
    name: 'by hand: go build ×2, restart both',
    kind: 'peer',
    dir,
    ports,
    afterEdit: async () => {
      await buildBoth();
      for (const main of MAINS) await launcher.end(running.get(main)!);
      startBoth();
    },
    stop: () => launcher.endAll(),
  };
}
