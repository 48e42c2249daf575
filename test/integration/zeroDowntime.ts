/**
 * Helpers for the handoff and proxy integration tests and the zero-downtime benchmark: private
 * copies of the examples that build outside the repository, prebuilt variants of a program, and
 * the reloads under load both strategies must survive.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestSession } from './harness';
import type { PartialSettings } from '../../src/engine';
import { groupMembers } from '../../src/engine/processes/processTree';
import { copyExample } from '../support/examples';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { Load, type LoadResult } from '../support/load';
import { freePort } from '../support/ports';

/** A private copy of an example that builds (every copyExample does now; kept for its callers). */
export function copyExampleForBuild(name: string): string {
  return copyExample(name);
}

/** Go source that makes a variant of an example: a greeting, or a failure at start. */
export type Variant = { greeting: string } | { panicOnStart: true } | { hangOnStart: true };

function variantSource(v: Variant): string {
  if ('greeting' in v) return `package main\n\nfunc greeting() string {\n\treturn ${JSON.stringify(v.greeting)}\n}\n`;
  if ('panicOnStart' in v)
    return 'package main\n\nfunc init() {\n\tvar m map[string]int\n\tm["boom"] = 1\n}\n\nfunc greeting() string {\n\treturn "never"\n}\n';
  // Never ready: it neither listens nor reports ready, but stays alive.
  return 'package main\n\nimport "time"\n\nfunc init() {\n\ttime.Sleep(time.Hour)\n}\n\nfunc greeting() string {\n\treturn "never"\n}\n';
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Static (no cgo) so the same binaries also run in a FROM scratch container.
    execFile(cmd, args, { cwd, env: { ...process.env, CGO_ENABLED: '0' }, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(),
    );
  });
}

/**
 * Builds variants of an example with the real Go toolchain (two at a time), each from its own copy
 * of the sources; returns the binaries by name.
 */
export async function buildVariants(example: string, variants: Record<string, Variant>): Promise<Record<string, string>> {
  const out = tempDir(`hr-variants-${example}-`);
  const entries = Object.entries(variants);
  const result: Record<string, string> = {};
  for (let i = 0; i < entries.length; i += 2) {
    await Promise.all(
      entries.slice(i, i + 2).map(async ([name, variant]) => {
        const src = copyExampleForBuild(example);
        fs.writeFileSync(path.join(src, 'greeting.go'), variantSource(variant));
        const bin = path.join(out, name);
        await run('go', ['build', '-o', bin, '.'], src);
        fs.rmSync(src, { recursive: true, force: true });
        result[name] = bin;
      }),
    );
  }
  return result;
}

/**
 * A working copy for a session whose "build" installs a prebuilt variant: the test copies a binary
 * to `current` and calls session.restart(); the engine copies it into a new versioned artifact and
 * deploys it as it would a fresh `go build`. The reload loops exercise the strategies, not the
 * compiler, so they do not pay a link per reload.
 */
export function prebuiltWorkspace(example: string, first: string): { dir: string; current: string; install(bin: string): void } {
  const dir = copyExampleForBuild(example);
  const current = path.join(dir, 'current.bin');
  const install = (bin: string) => {
    const temp = `${current}.tmp`;
    fs.copyFileSync(bin, temp);
    fs.chmodSync(temp, 0o755);
    fs.renameSync(temp, current);
  };
  install(first);
  return { dir, current, install };
}

const builtVariants = new Map<string, Promise<Record<string, string>>>();

/** Versions A and B of an example, one that panics on start and one never ready; built once per example. */
export function variantsOf(example: 'handoff' | 'proxy'): Promise<Record<string, string>> {
  let built = builtVariants.get(example);
  if (!built) {
    built = buildVariants(example, {
      a: { greeting: 'version A' },
      b: { greeting: 'version B' },
      panic: { panicOnStart: true },
      hang: { hangOnStart: true },
    });
    builtVariants.set(example, built);
  }
  return built;
}

/**
 * A session of `strategy` (not started yet) on a prebuilt workspace of its example that installs
 * version A; its program listens on a free port as PORT. Reloads come from session.restart().
 */
export async function prebuiltSession(strategy: 'handoff' | 'proxy', layer: PartialSettings) {
  const bins = await variantsOf(strategy);
  const ws = prebuiltWorkspace(strategy, bins.a);
  const port = await freePort();
  const t = await TestSession.open(ws.dir, { strategy, env: { PORT: String(port) }, buildCommand: 'true', binary: ws.current, ...layer }, { watch: false });
  return { bins, ws, port, t };
}

export interface ReloadsUnderLoad {
  port: number;
  load: LoadResult;
  /** Every process that served, in order. */
  pids: number[];
}

/**
 * The zero-downtime proof both strategies share: `reloads` switches between
 * prebuilt versions A and B under a steady load of fresh and keep-alive
 * clients, with a slow request started on the serving version before each
 * switch. Asserts no request failed, every reload is a new process, and each
 * slow request finished on the version it started on; `serves` says how the
 * new version is seen to take over (at once, or eventually).
 */
export async function reloadsUnderLoad(
  strategy: 'handoff' | 'proxy',
  reloads: number,
  serves: (port: number, pid: number, reload: number) => Promise<void>,
  /** More settings: a remote target (whose pids are not this machine's to check). */
  extra: PartialSettings = {},
): Promise<ReloadsUnderLoad> {
  const { bins, ws, port, t } = await prebuiltSession(strategy, { drainTimeoutMs: 3000, readyTimeoutMs: 5000, ...extra });
  const slows: Promise<{ expectedPid: number; status: number; body: string }>[] = [];
  const pids: number[] = [];
  let load: Load | undefined;
  let result: LoadResult | undefined;
  try {
    await t.session.start();
    const first = await t.report(1);
    assert.equal(first.outcome, 'started', first.message);
    assert.equal(t.session.strategy.name, strategy);
    let servingPid = first.pid!;
    pids.push(servingPid);
    assert.equal((await httpGet(port, '/')).body, 'version A');

    load = new Load(port, { fresh: 2, keepAlive: 2, pauseMs: 5 });
    await sleep(100);
    for (let i = 0; i < reloads; i++) {
      ws.install(i % 2 === 0 ? bins.b : bins.a);
      const expectedPid = servingPid;
      slows.push(
        httpGet(port, '/slow?ms=300').then(
          (r) => ({ expectedPid, ...r }),
          (err: Error) => ({ expectedPid, status: 0, body: err.message }),
        ),
      );
      await sleep(20);
      t.session.restart();
      const report = await t.report(i + 2);
      assert.equal(report.outcome, 'handed-off', `reload ${i + 1}: ${report.message}`);
      assert.ok(report.pid && report.pid !== servingPid, `reload ${i + 1} started a new process`);
      await serves(port, report.pid, i + 1);
      servingPid = report.pid;
      pids.push(report.pid);
      await sleep(20);
    }
    assert.equal((await httpGet(port, '/')).body, reloads % 2 === 0 ? 'version A' : 'version B');
    result = await load.stop();
    load = undefined;
    const slowResults = await Promise.all(slows);
    console.log(
      `${strategy}: ${result.ok} requests ok, ${result.failed} failed, ${result.retried} keep-alive retries after an idle close; ` +
        `keep-alive connections per client: ${result.keepAliveConnections.join(', ')}; ${slowResults.length} slow requests across switches`,
    );
    assert.equal(result.failed, 0, `failed requests:\n${result.errors.join('\n')}`);
    assert.ok(result.ok > reloads * 5, `steady load: ${result.ok} requests`);
    assert.equal(new Set(pids).size, reloads + 1, 'every reload is a new process');
    assert.equal(slowResults.length, reloads);
    for (const [i, slow] of slowResults.entries()) {
      assert.equal(slow.status, 200, `slow request ${i + 1}: ${slow.body}`);
      assert.equal(slow.body, `slept 300 ms in ${slow.expectedPid}`, `slow request ${i + 1} finished on the old version`);
    }
  } finally {
    await load?.stop();
    await t.dispose();
  }
  if (!extra.container && !extra.sshHost && !extra.kubernetes) for (const pid of pids) assert.deepEqual(groupMembers(pid), [], `pid ${pid} is gone`);
  return { port, load: result, pids };
}
