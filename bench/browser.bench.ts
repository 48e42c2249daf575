/**
 * Browser reload benchmark, on examples/web (html/template, the restart strategy) in headless
 * Chromium, in one run:
 *
 * - save → the open page shows the new text, with browser reload (the page reloads by itself once
 *   the new version answers), against saving and pressing reload by hand the moment the process
 *   restarts (the page on the program's own port, reloaded as soon as the engine reports the new
 *   process, and again at once after each error page, as an impatient user would). Rounds are
 *   interleaved, the order swapped each round, with a ratio per round; the error pages the hand
 *   reloads met are counted.
 * - the latency the engine's proxy adds to a page request with injection on: the same page asked
 *   for straight from the program and through the proxy, interleaved, one at a time over keep-alive
 *   connections, p50 and p99.
 *
 * Two cases: the example as it is (it listens at once), and versions that wait 300 ms before they
 * listen, as programs that open a database do (BENCH_STARTUP_MS=0,300 sets the cases).
 * BENCH_ROUNDS (default 10) rounds per case; BENCH_LATENCY_REQUESTS (default 3000) requests per
 * side. Needs Chromium and playwright-core (bash scripts/install-e2e.sh).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReloadReport } from '../src/engine';
import { chromiumMissing, launchTabs, type BrowserPage, type Tabs } from '../test/e2e/browserPages';
import { TestSession } from '../test/integration/harness';
import { copyExample } from '../test/support/examples';
import { httpGet } from '../test/support/http';
import { freePort } from '../test/support/ports';
import { eventually } from '../test/support/waiting';
import { fmt, median, percentile } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const LATENCY_REQUESTS = Number(process.env.BENCH_LATENCY_REQUESTS ?? 3000);
/** How long each version waits before it listens, per case. */
const STARTUP_MS = (process.env.BENCH_STARTUP_MS ?? '0,300').split(',').map(Number);
const PAGE_HEADERS = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', accept: 'text/html' };

interface Subject {
  dir: string;
  port: number;
  t: TestSession;
  page?: BrowserPage;
}

async function open(browserReload: boolean, startupMs: number): Promise<Subject> {
  const dir = copyExample('web');
  if (startupMs > 0)
    fs.writeFileSync(path.join(dir, 'startup.go'), `package main\n\nimport "time"\n\nfunc init() { time.Sleep(${startupMs} * time.Millisecond) }\n`);
  const port = await freePort();
  const t = await TestSession.open(dir, { browserReload, env: { PORT: String(port) }, ...(browserReload ? { browserPort: await freePort() } : {}) });
  await t.session.start();
  await t.report(1);
  return { dir, port, t };
}

function save(s: Subject, text: string): number {
  const file = path.join(s.dir, 'greeting.go');
  const started = Date.now();
  fs.writeFileSync(file, `package main\n\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`);
  void s.t.session.notifySaved([file]);
  return started;
}

/** The page's heading, or undefined while it is between documents. */
async function heading(page: BrowserPage): Promise<string | undefined> {
  try {
    return (await page.evaluate<string | null>(`document.getElementById('greeting')?.textContent ?? null`)) ?? undefined;
  } catch {
    return undefined; // navigating: the old document is gone
  }
}

async function until(ok: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A new version's report after the first `after` (cheap to watch: asking the page costs CPU the build needs). */
function reported(s: Subject, after: number): Promise<void> {
  return until(
    () =>
      s.t
        .reports()
        .slice(after)
        .some((r: ReloadReport) => r.outcome === 'restarted'),
    'the restart',
  );
}

/** Browser reload: save, then only watch the page. */
async function automatic(s: Subject, text: string): Promise<number> {
  const reports = s.t.reports().length;
  const started = save(s, text);
  await reported(s, reports);
  await until(async () => (await heading(s.page!)) === text, 'the page to reload by itself');
  return Date.now() - started;
}

/** By hand: save, press reload the moment the new process is there, and again after each error page. */
async function byHand(s: Subject, text: string): Promise<{ ms: number; errorPages: number }> {
  const reports = s.t.reports().length;
  const started = save(s, text);
  await reported(s, reports);
  let errorPages = 0;
  for (;;) {
    try {
      await s.page!.reload({ timeout: 10_000 });
    } catch {
      errorPages++; // Chromium's "This site can't be reached"
      continue;
    }
    if ((await heading(s.page!)) === text) return { ms: Date.now() - started, errorPages };
  }
}

function timedGet(port: number, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: '/', agent, headers: PAGE_HEADERS }, (res) => {
        res.resume();
        res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
      })
      .on('error', reject);
  });
}

async function latency(directPort: number, proxyPort: number): Promise<{ direct: number[]; proxied: number[] }> {
  const directAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const proxyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const direct: number[] = [];
  const proxied: number[] = [];
  for (let i = 0; i < 200; i++) {
    await timedGet(directPort, directAgent);
    await timedGet(proxyPort, proxyAgent);
  }
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    // Alternate which goes first, so neither side always follows the other.
    if (i % 2 === 0) {
      direct.push(await timedGet(directPort, directAgent));
      proxied.push(await timedGet(proxyPort, proxyAgent));
    } else {
      proxied.push(await timedGet(proxyPort, proxyAgent));
      direct.push(await timedGet(directPort, directAgent));
    }
  }
  directAgent.destroy();
  proxyAgent.destroy();
  return { direct, proxied };
}

interface Row {
  auto: number;
  hand: number;
  errorPages: number;
}

/** Rounds of save → new text, browser reload against by hand, for programs that take `startupMs` to listen. */
/** Returns the browser reload session, for the latency figures. */
async function compare(startupMs: number, tabs: Tabs, subjects: Subject[]): Promise<Subject> {
  // Each session is owned by the caller as soon as it exists, so a failure below still stops it.
  const auto = await open(true, startupMs);
  subjects.push(auto);
  const hand = await open(false, startupMs);
  subjects.push(hand);
  auto.page = await tabs.open(auto.t.session.url!);
  // Without browser reload the engine reports a version as soon as it runs: wait until it listens.
  await eventually('the program', async () => (await httpGet(hand.port, '/', 1000)).status === 200);
  hand.page = await tabs.open(`http://127.0.0.1:${hand.port}/`);
  console.log('');
  console.log(`## versions that listen ${startupMs ? `${startupMs} ms after they start (a program that opens a database)` : 'at once (the example as it is)'}`);
  console.log('round | browser reload: save → new text | by hand at the restart: save → new text | error pages by hand | by hand / browser reload');
  const rows: Row[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let a: number;
    let h: { ms: number; errorPages: number };
    if (i % 2 === 0) {
      a = await automatic(auto, `automatic ${startupMs} ${i}`);
      h = await byHand(hand, `by hand ${startupMs} ${i}`);
    } else {
      h = await byHand(hand, `by hand ${startupMs} ${i}`);
      a = await automatic(auto, `automatic ${startupMs} ${i}`);
    }
    rows.push({ auto: a, hand: h.ms, errorPages: h.errorPages });
    console.log(`${String(i + 1).padStart(5)} | ${fmt(a).padStart(12)} | ${fmt(h.ms).padStart(12)} | ${h.errorPages} | ${(h.ms / a).toFixed(2)}x`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const autoErrors = tabs.errorsOf(auto.page);
  console.log(
    `median save → new text: browser reload ${fmt(median(rows.map((r) => r.auto)))}, by hand ${fmt(median(rows.map((r) => r.hand)))}; by hand / browser reload per round, median ${median(rows.map((r) => r.hand / r.auto)).toFixed(2)}x`,
  );
  const withErrors = rows.filter((r) => r.errorPages > 0).length;
  console.log(
    `error pages: by hand ${rows.reduce((n, r) => n + r.errorPages, 0)} in ${withErrors} of ${ROUNDS} rounds; with browser reload ${autoErrors.length}${autoErrors.length ? ` (${autoErrors.join('; ')})` : ''}`,
  );
  await auto.page.close();
  await hand.page.close();
  return auto;
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing.length > 0) throw new Error(`needs ${missing.join(', ')}`);
  console.log(
    `# browser reload benchmark: ${ROUNDS} rounds interleaved per case, examples/web (html/template, restart strategy), headless Chromium, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  const tabs = await launchTabs();
  const subjects: Subject[] = [];
  try {
    let latencyFrom: Subject | undefined;
    for (const startupMs of STARTUP_MS) {
      const auto = await compare(startupMs, tabs, subjects);
      latencyFrom ??= auto;
    }
    const proxyPort = Number(new URL(latencyFrom!.t.session.url!).port);
    const { direct, proxied } = await latency(latencyFrom!.port, proxyPort);
    const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
    const [d50, d99, p50, p99] = [percentile(direct, 50), percentile(direct, 99), percentile(proxied, 50), percentile(proxied, 99)];
    console.log('');
    console.log(
      `proxy added latency with injection on (${LATENCY_REQUESTS} page requests each way, one at a time, keep-alive, loopback, load average ${os.loadavg()[0].toFixed(2)}):`,
    );
    console.log(`  direct  p50 ${us(d50)}, p99 ${us(d99)}`);
    console.log(`  proxied p50 ${us(p50)}, p99 ${us(p99)}`);
    console.log(`  added   p50 ${us(p50 - d50)}, p99 ${us(p99 - d99)}`);
    console.log('');
    console.log('targets: no error page with browser reload; proxy p99 added < 1 ms');
  } finally {
    await tabs.close();
    for (const s of subjects) {
      await s.t.dispose();
      fs.rmSync(s.dir, { recursive: true, force: true });
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
