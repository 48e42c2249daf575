/**
 * A soak: hundreds of reloads of the CLI engine under load, mixing good versions, compile errors,
 * versions that panic on start, versions that exit by themselves and versions that detach a daemon.
 * It ends with nothing of the program left, the engine's memory where it was after warming up, and
 * a work dir that did not grow with the reloads. HR_SOAK_RELOADS sets the size (default 100: what
 * fits in CI; the closing figures were taken with 300). Prebuilt versions are installed by a build
 * command, so the soak exercises the engine, not the compiler.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { Load } from '../support/load';
import { freePort } from '../support/ports';
import { killProcessesWithEnv, processesWithEnv, rssBytes } from '../support/processes';
import { eventually } from '../support/waiting';
import { defaultWorkDir } from '../../src/engine/settings/workDir';

const RELOADS = Number(process.env.HR_SOAK_RELOADS ?? 100);
const MODES = ['serve', 'daemon', 'panic', 'exit'] as const;
/** One cycle of what each reload installs: mostly good versions, with every kind of trouble in it. */
const CYCLE = ['serve', 'daemon', 'fail', 'serve', 'panic', 'serve', 'daemon', 'exit', 'serve', 'fail'] as const;

function buildModes(): Record<(typeof MODES)[number], string> {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-soak-src-'));
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'soak'), src, { recursive: true });
  const goMod = path.join(src, 'go.mod');
  fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8').replace('../../../go/hotreload', path.join(repoRoot, 'go', 'hotreload')));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-soak-bin-'));
  const bins = {} as Record<(typeof MODES)[number], string>;
  for (const mode of MODES) {
    bins[mode] = path.join(out, mode);
    execFileSync('go', ['build', '-ldflags', `-X main.mode=${mode}`, '-o', bins[mode], '.'], { cwd: src });
  }
  return bins;
}

function dirSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { bytes, files };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test(`soak: ${RELOADS} reloads under load leave nothing behind, the engine's memory flat and the work dir bounded`, async () => {
  const bins = buildModes();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-soak-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/soakrun\n\ngo 1.19\n');
  const variant = path.join(dir, 'variant.txt');
  fs.writeFileSync(variant, bins.serve);
  const build = `v=$(head -n 1 variant.txt); if [ "$v" = fail ]; then echo "main.go:3:1: syntax error: unexpected soak" >&2; exit 1; fi; cp "$v" bin/app`;
  const port = await freePort();
  const mark = `HR_MARK=soak-${crypto.randomBytes(4).toString('hex')}`;
  const engine = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'dist', 'cli.js'),
      '--json',
      '--strategy',
      'handoff',
      '--listen',
      `127.0.0.1:${port}`,
      '--build',
      build,
      '--bin',
      'bin/app',
      '--ext',
      'txt',
      '--env',
      mark,
      '--grace',
      '500',
      '--drain-timeout',
      '500',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const outcomes: Record<string, number> = {};
  let reports = 0;
  readline.createInterface({ input: engine.stderr }).on('line', (line) => {
    try {
      const event = JSON.parse(line) as { type: string; report?: { outcome: string } };
      if (event.type === 'reload' && event.report) {
        reports++;
        outcomes[event.report.outcome] = (outcomes[event.report.outcome] ?? 0) + 1;
      }
    } catch {
      // the engine's other lines
    }
  });
  const rss: number[] = [];
  let load: Load | undefined;
  try {
    await eventually('v1 serves', async () => /^soak serve/.test((await httpGet(port)).body), { timeoutMs: 60_000 });
    load = new Load(port, { fresh: 1, keepAlive: 1, pauseMs: 20, path: '/' });
    const started = Date.now();
    let warm = 0;
    for (let i = 0; i < RELOADS; i++) {
      const kind = CYCLE[i % CYCLE.length];
      const before = reports;
      // The reload's number on a second line: every write is a change, even of the same version.
      fs.writeFileSync(variant, `${kind === 'fail' ? 'fail' : bins[kind]}\n${i}\n`);
      await eventually(`reload ${i + 1} (${kind}) reported`, () => reports > before, { timeoutMs: 20_000 });
      // A version that exits by itself does so before the next reload replaces it.
      if (kind === 'exit') await new Promise((r) => setTimeout(r, 1700));
      if (i === 20) warm = median([rssBytes(engine.pid!), rssBytes(engine.pid!), rssBytes(engine.pid!)]);
      if (i % 10 === 0) rss.push(rssBytes(engine.pid!));
    }
    // The last reload installs a good version again, and the old ones drain.
    fs.writeFileSync(variant, `${bins.serve}\nlast\n`);
    await eventually('the last version serves', async () => /^soak serve/.test((await httpGet(port)).body), { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 1500));
    const end = median([rssBytes(engine.pid!), rssBytes(engine.pid!), rssBytes(engine.pid!)]);
    const loadResult = await load.stop();
    load = undefined;
    const work = dirSize(defaultWorkDir(dir));
    const builds = fs.readdirSync(path.join(defaultWorkDir(dir), 'builds')).length;
    const running = processesWithEnv(mark).length;
    engine.kill('SIGTERM');
    await new Promise((r) => engine.once('exit', r));
    const left = processesWithEnv(mark);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(`# soak: ${RELOADS} reloads in ${((Date.now() - started) / 1000).toFixed(0)} s; reports ${JSON.stringify(outcomes)}`);
    console.log(
      `# soak: requests ${loadResult.ok} ok, ${loadResult.failed} failed (versions that exit by themselves leave nothing serving until the next reload)`,
    );
    console.log(`# soak: engine RSS ${mb(warm)} MB after 20 reloads, ${mb(end)} MB at the end (growth ${mb(end - warm)} MB); samples ${rss.map(mb).join(' ')}`);
    console.log(
      `# soak: work dir ${work.files} files, ${mb(work.bytes)} MB, ${builds} build folders; ${running} program processes at the end, ${left.length} left after stop`,
    );
    assert.deepEqual(left, [], 'processes of the program left after the engine stopped');
    assert.ok(end - warm < 10 * 1024 * 1024, `the engine grew by ${mb(end - warm)} MB`);
    assert.ok(builds <= 3, `${builds} build folders kept`);
    assert.ok(work.bytes < 60 * 1024 * 1024, `the work dir holds ${mb(work.bytes)} MB`);
    assert.ok(running <= 4, `${running} program processes while one version serves`);
  } finally {
    await load?.stop();
    engine.kill('SIGKILL');
    killProcessesWithEnv(mark);
  }
});
