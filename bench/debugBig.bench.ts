/**
 * Debugging a real program: save → the new version serving under the debugger, on a Gin web app of
 * ~310 packages (made at run time from the Go module proxy), against the same reload without the
 * debugger, in one run with rounds interleaved and the ratio taken per round. Two debug builds:
 * the default (only the app's module without optimisation: `-gcflags=<module>/...=-N -l`) and
 * `debugAllPackages` (`-gcflags=all=-N -l`, the standard library and every dependency too).
 *
 *   npm run bench:debug-big        (BENCH_ROUNDS=5 by default)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, type Session } from '../src/engine';
import { DapClient } from '../test/support/dapClient';
import { freePort } from '../test/support/ports';
import { eventually } from '../test/support/waiting';
import { waitForBody } from './poll';
import { fmt, median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GIN = 'github.com/gin-gonic/gin@v1.12.0';

const MAIN = `package main

import (
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, greeting()) })
	_ = r.Run("127.0.0.1:" + os.Getenv("PORT"))
}

// offPath is never called: the debugger's breakpoint is set here, so each new version gets it
// before it runs and none of them stops.
func offPath() string {
	return "never"
}
`;

function setGreeting(dir: string, text: string): void {
  fs.writeFileSync(path.join(dir, 'greeting.go'), `package main\n\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`);
}

/** The app, its go.sum resolved once through the module proxy; each session gets its own copy. */
function ginApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-bench-gin-'));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/ginapp\n\ngo 1.24\n');
  fs.writeFileSync(path.join(dir, 'main.go'), MAIN);
  setGreeting(dir, 'hello, gin');
  execFileSync('go', ['get', GIN], { cwd: dir, stdio: 'ignore' });
  execFileSync('go', ['mod', 'tidy'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

function copyOf(dir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-bench-gin-'));
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

interface Variant {
  name: string;
  dir: string;
  port: number;
  session: Session;
  client?: DapClient;
}

async function open(name: string, source: string, debug: { debugAllPackages: boolean } | undefined): Promise<Variant> {
  const dir = copyOf(source);
  const port = await freePort();
  const settings = {
    env: { PORT: String(port) },
    strategy: 'restart' as const,
    debug: debug !== undefined,
    debugAllPackages: debug?.debugAllPackages ?? false,
  };
  const { session, problems } = await openSession(dir, [settings]);
  if (!session) throw new Error(JSON.stringify(problems));
  session.events.on((e) => {
    if (e.type === 'log' && e.message.startsWith('debug: ') && !e.message.startsWith('debug: builds use')) console.log(`(${name}) ${e.message}`);
  });
  await session.start();
  await waitForBody(port, 'hello, gin', 600_000);
  let client: DapClient | undefined;
  if (debug) {
    client = await DapClient.connect(session.debugAddress!);
    await client.start({ [path.join(dir, 'main.go')]: [20] });
  }
  return { name, dir, port, session, client };
}

/** Save → the new version serving (and, under the debugger, the debugger following it). */
async function reload(v: Variant, text: string): Promise<{ ms: number; phases: string }> {
  const t0 = Date.now();
  setGreeting(v.dir, text);
  const version = (v.session.currentVersion ?? 0) + 1;
  void v.session.notifySaved([path.join(v.dir, 'greeting.go')]);
  const servingMs = (await waitForBody(v.port, text, 120_000)) - t0;
  const p = (await eventually('its report', () => ((v.session.lastReport?.finishedAt ?? 0) >= t0 ? v.session.lastReport : undefined))).phases;
  const phases = `build ${fmt(p.buildMs)}, start ${fmt(p.startMs)}`;
  if (!v.client) return { ms: servingMs, phases };
  const client = v.client;
  const attachedAt = await eventually('the debugger follows the new version', () => client.consoleText().includes(`debugging v${version} `) && Date.now(), {
    timeoutMs: 60_000,
    intervalMs: 5,
  });
  return { ms: Math.max(servingMs, attachedAt - t0), phases };
}

async function main(): Promise<void> {
  const source = ginApp();
  const packages = execFileSync('go', ['list', '-deps', '.'], { cwd: source, encoding: 'utf8' }).trim().split('\n').length;
  console.log(`# debugging a Gin app (${packages} packages): ${ROUNDS} rounds, restart strategy, ${os.cpus().length} cores (shared: figures are noisy)`);
  const started = Date.now();
  const plain = await open('no debugger', source, undefined);
  const own = await open('debugger, default (own module -N -l, all after the warm-up)', source, { debugAllPackages: false });
  const ownFirst = Date.now() - started;
  const all = await open('debugger, all=-N -l (debugAllPackages)', source, { debugAllPackages: true });
  console.log(`(first starts: no debugger and the default debug build ${fmt(ownFirst)}; with debugAllPackages ${fmt(Date.now() - started - ownFirst)})`);
  const variants = [plain, own, all];
  const rows: number[][] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const row: number[] = [];
    const said: string[] = [];
    // The order rotates each round: none of them always follows another's build.
    for (let k = 0; k < variants.length; k++) {
      const j = (i + k) % variants.length;
      const v = variants[j];
      const { ms, phases } = await reload(v, `${v.name} ${i}`);
      row[j] = ms;
      said[j] = `${v.name} ${fmt(ms)} (${phases})`;
      await sleep(200);
    }
    rows.push(row);
    console.log(`round ${i + 1}: ${said.join(' · ')}`);
  }
  for (const v of variants) {
    v.client?.close();
    await v.session.dispose();
    fs.rmSync(v.dir, { recursive: true, force: true });
  }
  fs.rmSync(source, { recursive: true, force: true });

  console.log('');
  console.log('| save → new version serving (and the debugger following it) | median | ratio to no debugger, per round (median) |');
  console.log('| --- | --- | --- |');
  variants.forEach((v, j) => {
    const ratio = median(rows.map((r) => r[j] / r[0]));
    console.log(`| ${v.name} | ${fmt(median(rows.map((r) => r[j])))} | ${ratio.toFixed(2)}x |`);
  });
  console.log('target: the default debug build ≤ 1.5x');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
