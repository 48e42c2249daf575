/**
 * End to end in real Chromium: the web example (examples/web, html/template) under the engine with
 * browser reload on, its pages opened through the engine's proxy in headless Chromium. Files are
 * edited on disk as an editor saves them; the tests watch the pages, never reload them, and count
 * every navigation error, error page and failed request on every tab.
 *
 *   npx tsc -p tsconfig.test.json && node --test --test-concurrency=1 out/test/e2e/browserReload.test.js
 *
 * Needs Go, Debian's Chromium and playwright-core (bash scripts/install-e2e.sh); skips without them
 * unless HOTRELOAD_E2E_REQUIRED=1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWrite, TestSession } from '../integration/harness';
import { copyExample } from '../support/examples';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';
import { REQUIRED_ENV } from './tooling';
import { chromiumMissing, launchTabs, type BrowserPage, type Tabs } from './browserPages';
import { goEnv } from './hotReloadUi';

const missing = [...chromiumMissing(), ...(goEnv() ? [] : ['the Go toolchain'])];
const skip = missing.length > 0 && process.env[REQUIRED_ENV] !== '1' ? `needs ${missing.join(', ')}` : false;

interface Web {
  dir: string;
  t: TestSession;
  /** The program's port and the engine's page port. */
  port: number;
  browserPort: number;
  tabs: Tabs;
  url: string;
  /** Edits a file of the example the way an editor saves it. */
  edit(file: string, change: (text: string) => string): void;
  close(): Promise<void>;
}

async function openWeb(): Promise<Web> {
  assert.deepEqual(missing, [], 'the tooling is there');
  const dir = copyExample('web');
  // As real programs do (config, a database), each version takes a moment before it listens: a page
  // reloaded when the process starts, rather than once it answers, would find nothing there.
  fs.writeFileSync(path.join(dir, 'startup.go'), 'package main\n\nimport "time"\n\nfunc init() { time.Sleep(400 * time.Millisecond) }\n');
  const [port, browserPort] = [await freePort(), await freePort()];
  const t = await TestSession.open(dir, { browserReload: true, browserPort, env: { PORT: String(port) } });
  await t.session.start();
  assert.equal((await t.report(1)).outcome, 'started');
  const url = t.session.url!;
  assert.equal(url, `http://localhost:${browserPort}/`);
  const tabs = await launchTabs();
  const web: Web = {
    dir,
    t,
    port,
    browserPort,
    tabs,
    url,
    edit: (file, change) => atomicWrite(path.join(dir, file), change(fs.readFileSync(path.join(dir, file), 'utf8'))),
    async close() {
      await tabs.close();
      await this.t.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return web;
}

const text = (page: BrowserPage, selector: string) => page.evaluate<string | null>(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? null`);

async function waitForText(page: BrowserPage, selector: string, expected: string, what: string): Promise<void> {
  await eventually(
    () => `${what}: ${selector} to read ${JSON.stringify(expected)}`,
    async () => (await text(page, selector)) === expected,
    { timeoutMs: 30_000, intervalMs: 50 },
  );
}

/** The overlay's parts, read through its (open) shadow root. */
function overlay(page: BrowserPage): Promise<{ title: string; items: { where: string; href: string; message: string }[]; detail: string } | null> {
  return page.evaluate(`(() => {
    const host = document.querySelector('hotreload-overlay');
    if (!host) return null;
    const root = host.shadowRoot;
    return {
      title: root.querySelector('.title').textContent,
      detail: root.querySelector('.detail')?.textContent ?? '',
      items: [...root.querySelectorAll('.item')].map((li) => ({ where: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'), message: li.querySelector('.message').textContent, tags: li.querySelectorAll('b').length })),
    };
  })()`);
}

test(
  'browser reload: a template edit shows in every tab without a manual reload, no error in between, one event stream, scroll kept',
  { skip, timeout: 240_000 },
  async () => {
    const web = await openWeb();
    try {
      const a = await web.tabs.open(web.url);
      await waitForText(a, '#greeting', 'Hello from html/template', 'tab 1 loaded');
      const b = await web.tabs.open(web.url);
      await waitForText(b, '#greeting', 'Hello from html/template', 'tab 2 loaded');
      const hub = web.t.session.browser!.hub;
      await eventually('the browser to open its event stream', () => hub.connections === 1, { timeoutMs: 10_000 });

      // A tall page, scrolled down in tab 1.
      web.edit('templates/index.html', (html) =>
        html.replace(
          '<h1 id="greeting">{{.Greeting}}</h1>',
          '<h1 id="greeting">{{.Greeting}}</h1>\n  <h2 id="edit">first edit</h2>\n  <div style="height: 4000px"></div>',
        ),
      );
      await waitForText(a, '#edit', 'first edit', 'tab 1 followed the first edit');
      await waitForText(b, '#edit', 'first edit', 'tab 2 followed the first edit');
      await a.evaluate('window.scrollTo(0, 1500)');
      const loadsBefore = [web.tabs.loads(a), web.tabs.loads(b)];

      web.edit('templates/index.html', (html) => html.replace('first edit', 'second edit'));
      await waitForText(a, '#edit', 'second edit', 'tab 1 followed the second edit');
      await waitForText(b, '#edit', 'second edit', 'tab 2 followed the second edit');
      assert.deepEqual([web.tabs.loads(a), web.tabs.loads(b)], [loadsBefore[0] + 1, loadsBefore[1] + 1], 'each tab reloaded once, by itself');
      await eventually('tab 1 to be scrolled where it was', async () => (await a.evaluate<number>('window.scrollY')) === 1500, { timeoutMs: 5000 });

      // Several saves of Go code in a row: every tab ends on the last one.
      for (const word of ['one', 'two', 'three']) web.edit('greeting.go', (go) => go.replace(/return ".*"/, `return "greeting ${word}"`));
      await waitForText(a, '#greeting', 'greeting three', 'tab 1 followed greeting.go');
      await waitForText(b, '#greeting', 'greeting three', 'tab 2 followed greeting.go');

      await eventually(
        () => `one event stream (have ${hub.connections})`,
        () => hub.connections === 1,
        { timeoutMs: 10_000 },
      );
      assert.deepEqual(web.tabs.errors, [], 'no navigation error, error page or failed request on any tab');
      const reports = web.t.reports();
      assert.ok(
        reports.length >= 4 && reports.every((r) => r.outcome === 'started' || r.outcome === 'restarted'),
        JSON.stringify(reports.map((r) => r.outcome)),
      );
      console.log(`# ${web.tabs.eventStreamRequests()} event stream requests over ${web.tabs.loads(a) + web.tabs.loads(b)} page loads in two tabs`);

      // The engine goes away and comes back (Stop and Start, or a crashed engine restarted): the
      // pages reconnect by themselves and show what serves now.
      await web.t.dispose();
      web.edit('greeting.go', (go) => go.replace(/return ".*"/, 'return "after the engine restarted"'));
      web.t = await TestSession.open(web.dir, { browserReload: true, browserPort: web.browserPort, env: { PORT: String(web.port) } });
      await web.t.session.start();
      await waitForText(a, '#greeting', 'after the engine restarted', 'tab 1 after the engine restarted');
      await waitForText(b, '#greeting', 'after the engine restarted', 'tab 2 after the engine restarted');
      const newHub = web.t.session.browser!.hub;
      await eventually(
        () => `one event stream to the new engine (have ${newHub.connections})`,
        () => newHub.connections === 1,
        { timeoutMs: 10_000 },
      );
      // While no engine listened the browser's event stream retried, as it should; nothing else failed.
      assert.deepEqual(
        web.tabs.errors.filter((e) => !/eventsource .*__hotreload\/events failed: net::ERR_CONNECTION_REFUSED/.test(e)),
        [],
      );
    } finally {
      await web.close();
    }
  },
);

test(
  'browser reload: a stylesheet is swapped in place with no build; build errors and a crash on start show over the page until fixed',
  { skip, timeout: 240_000 },
  async () => {
    const web = await openWeb();
    try {
      const page = await web.tabs.open(web.url);
      await waitForText(page, '#greeting', 'Hello from html/template', 'the page loaded');
      await page.evaluate(`window.__marker = 'state kept'`);
      const color = () => page.evaluate<string>(`getComputedStyle(document.getElementById('greeting')).color`);
      assert.equal(await color(), 'rgb(20, 90, 160)');
      const reports = web.t.reports().length;
      const loads = web.tabs.loads(page);

      web.edit('static/style.css', (css) => css.replace('rgb(20, 90, 160)', 'rgb(200, 30, 30)'));
      await eventually('the new colour', async () => (await color()) === 'rgb(200, 30, 30)', { timeoutMs: 15_000, intervalMs: 50 });
      assert.equal(await page.evaluate('window.__marker'), 'state kept', 'no reload: the page kept its JS state');
      assert.equal(web.tabs.loads(page), loads);
      // The new sheet applies before its load event, which removes the old <link>.
      await eventually(
        'the old <link> is gone once the new one loaded',
        async () => (await page.evaluate<number>(`document.querySelectorAll('link[rel=stylesheet]').length`)) === 1,
        {
          timeoutMs: 5000,
        },
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(web.t.reports().length, reports, 'no build, no restart');

      // A build error: over the page, escaped, linked to its line; the page below still works.
      const goFile = path.join(web.dir, 'greeting.go');
      const good = fs.readFileSync(goFile, 'utf8');
      atomicWrite(goFile, good.replace(/\treturn ".*"/, '\tvar n int = "<b>bold</b>"\n\treturn "x" + string(rune(n))'));
      const shown = await eventually('the build error overlay', () => overlay(page), { timeoutMs: 30_000, intervalMs: 50 });
      assert.equal(shown.title, 'Build failed');
      assert.deepEqual(shown.items, [
        {
          where: 'greeting.go:5:14',
          href: `vscode://file${encodeURI(goFile)}:5:14`,
          // Text, not markup: the tags in the message are shown as they are.
          message: 'cannot use "<b>bold</b>" (untyped string constant) as int value in variable declaration',
          tags: 0,
        },
      ]);
      assert.match(shown.detail, /v1 still serving/);
      await page.evaluate(`document.getElementById('time-button').click()`);
      await eventually('the page below to still work', async () => /^\d\d:\d\d:\d\d$/.test((await text(page, '#time time')) ?? ''), { timeoutMs: 10_000 });
      assert.equal(await page.evaluate('window.__marker'), 'state kept', 'a failed build does not reload the page');

      atomicWrite(goFile, good.replace(/return ".*"/, 'return "fixed <i>ok</i>"'));
      await waitForText(page, '#greeting', 'fixed <i>ok</i>', 'the page after the fix');
      assert.equal(await overlay(page), null, 'the overlay went away with the good build');

      // A version that dies on start: its panic over the page, which the last good version still serves.
      atomicWrite(goFile, `${fs.readFileSync(goFile, 'utf8')}\nfunc init() {\n\tvar m map[string]int\n\tm["boom"] = 1\n}\n`);
      const crash = await eventually('the crash overlay', () => overlay(page), { timeoutMs: 30_000, intervalMs: 50 });
      assert.equal(crash.title, 'The program crashed');
      assert.match(crash.items[0].where, /^greeting\.go:\d+$/);
      assert.match(crash.items[0].message, /assignment to entry in nil map/);
      await eventually('the rollback', () => web.t.reports().some((r) => r.outcome === 'rolled-back'), { timeoutMs: 30_000 });
      // The rolled-back version's restart reloads the page: read it once it has loaded again.
      await waitForText(page, '#greeting', 'fixed <i>ok</i>', 'the page served by the rolled-back version');

      atomicWrite(goFile, good.replace(/return ".*"/, 'return "after the crash"'));
      await waitForText(page, '#greeting', 'after the crash', 'the page after the crash was fixed');
      assert.equal(await overlay(page), null);
      assert.deepEqual(web.tabs.errors, [], 'no navigation error, error page or failed request');
    } finally {
      await web.close();
    }
  },
);
