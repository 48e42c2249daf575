import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserReload, withStylesheets } from '../../src/engine/browser/browserReload';
import { scriptNonce } from '../../src/engine/browser/csp';
import { htmlResponse, isPageRequest } from '../../src/engine/browser/documents';
import type { PageMessage } from '../../src/engine/browser/hub';
import { editorLink, pageProblem } from '../../src/engine/browser/problems';
import type { Diagnostic } from '../../src/engine/kernel/diagnostic';
import type { EngineEvent, ReloadOutcome } from '../../src/engine/kernel/events';
import { openEventStream } from '../support/eventStream';

/** A browser's event stream to a BrowserReload's hub, served as the proxy serves it. */
async function connect(browser: BrowserReload): Promise<{ next(): Promise<PageMessage>; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (!browser.pages.serve(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stream = openEventStream((server.address() as net.AddressInfo).port);
  return {
    next: () => stream.next(undefined, 2000),
    close: async () => {
      stream.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const root = '/work/app';
const buildError: Diagnostic = {
  file: '/work/app/handlers/home.go',
  line: 12,
  column: 5,
  severity: 'error',
  message: 'invalid operation: 1 < "a" (mismatched types untyped int and untyped string)',
  source: 'go build',
  related: [],
};
const panicSite: Diagnostic = { ...buildError, file: '/work/app/main.go', line: 20, column: 0, message: 'panic: boom <b>', source: 'panic' };

function report(outcome: ReloadOutcome, version: number, message?: string): EngineEvent {
  return {
    type: 'reload',
    report: {
      version,
      outcome,
      message,
      trigger: 'save',
      changedFiles: [],
      phases: { detectMs: 0, buildMs: 0, stopMs: 0, startMs: 0, totalMs: 0 },
      strategy: 'restart',
      finishedAt: 0,
    },
  };
}

test('browser reload: pages hear hello, then a reload per serving version, problems with links to their lines, and a clear', async () => {
  const browser = new BrowserReload({ root, editorScheme: 'vscode-insiders' });
  const page = await connect(browser);
  try {
    const hello = await page.next();
    assert.equal(hello.type, 'hello');
    const id = (hello as { epoch: string }).epoch.split('.')[0];
    assert.deepEqual(hello, { type: 'hello', epoch: `${id}.0`, problem: null });

    browser.follow(report('started', 1));
    assert.deepEqual(await page.next(), { type: 'reload', epoch: `${id}.1` });

    browser.follow({ type: 'diagnostics', diagnostics: [buildError] });
    browser.follow(report('build-failed', 1, 'go build failed; v1 still serving'));
    const shown = await page.next();
    assert.deepEqual(shown, {
      type: 'problem',
      problem: {
        title: 'Build failed',
        items: [
          {
            where: 'handlers/home.go:12:5',
            href: 'vscode-insiders://file/work/app/handlers/home.go:12:5',
            message: 'invalid operation: 1 < "a" (mismatched types untyped int and untyped string)',
          },
        ],
      },
    });
    const again = await page.next();
    assert.equal(again.type === 'problem' && again.problem.detail, 'go build failed; v1 still serving');

    // A page that connects now sees the problem at once.
    const late = await connect(browser);
    const lateHello = await late.next();
    assert.equal(lateHello.type === 'hello' && lateHello.problem?.items[0].where, 'handlers/home.go:12:5');
    await late.close();

    browser.follow({ type: 'diagnostics', diagnostics: [] });
    assert.deepEqual(await page.next(), { type: 'clear' });
    browser.follow(report('restarted', 2));
    assert.deepEqual(await page.next(), { type: 'reload', epoch: `${id}.2` });

    // A version that crashed on start: its panic over the page; the rollback does not reload it.
    browser.follow({ type: 'diagnostics', diagnostics: [panicSite] });
    assert.equal(((await page.next()) as { problem: { title: string } }).problem.title, 'The program crashed');
    browser.follow(report('rolled-back', 2, 'v3 crashed on start; v2 serves again'));
    const rolled = await page.next();
    assert.equal(rolled.type === 'problem' && rolled.problem.detail, 'v3 crashed on start; v2 serves again');
    assert.equal(rolled.type === 'problem' && rolled.problem.items[0].href, 'vscode-insiders://file/work/app/main.go:20');
    browser.follow(report('patched', 3));
    assert.deepEqual(await page.next(), { type: 'reload', epoch: `${id}.3` });
    assert.equal(browser.hub.connections, 1);
  } finally {
    await page.close();
    browser.dispose();
  }
});

test('editorLink: absolute paths with spaces and #, line and column when known', () => {
  assert.equal(editorLink('vscode', '/home/me/my app/#1/main.go', 3, 7), 'vscode://file/home/me/my%20app/%231/main.go:3:7');
  assert.equal(editorLink('cursor', '/a/go.mod', 0, 0), 'cursor://file/a/go.mod');
  const many = Array.from({ length: 30 }, (_, i) => ({ ...buildError, line: i + 1 }));
  const problem = pageProblem({ title: 'Build failed', detail: 'why', diagnostics: many }, { root, editorScheme: 'vscode' });
  assert.equal(problem.items.length, 20);
  assert.equal(problem.detail, 'why; 10 more in the Problems panel');
});

test('stylesheets: a changed file served from disk is found by its bytes; one the binary embeds (stale bytes) is not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-css-'));
  const file = path.join(dir, 'site.css');
  fs.writeFileSync(file, 'h1 { color: red }');
  const embedded = 'p { color: blue }';
  const browser = new BrowserReload({ root: dir, editorScheme: 'vscode' });
  // The proxy's part: stylesheet answers are observed on their way through.
  const front = http.createServer((req, res) => {
    const begun = browser.pages.begin(req);
    const body = (status: number, headers: Record<string, string>, text: string) => {
      begun?.respond(status, Object.entries(headers).flat());
      res.writeHead(status, headers).end(text);
    };
    if (req.url?.startsWith('/static/site.css')) body(200, { 'Content-Type': 'text/css; charset=utf-8' }, fs.readFileSync(file, 'utf8'));
    else if (req.url === '/assets/other.css') body(200, { 'Content-Type': 'text/css' }, embedded);
    else body(404, {}, '');
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as net.AddressInfo).port;
  const get = (p: string) =>
    new Promise<void>((resolve) => http.get({ host: '127.0.0.1', port, path: p, agent: false }, (r) => (r.resume(), r.on('end', resolve))));
  try {
    await get('/static/site.css?hotreload=123');
    await get('/assets/other.css');
    fs.writeFileSync(file, 'h1 { color: green }');
    assert.deepEqual(await browser.swapStylesheets([{ path: file, kind: 'update' }]), ['/static/site.css'], 'served as it is on disk: swapped');
    const other = path.join(dir, 'other.css');
    fs.writeFileSync(other, 'p { color: purple }');
    assert.equal(await browser.swapStylesheets([{ path: other, kind: 'update' }]), undefined, 'still served with the old bytes: a build');
    assert.equal(
      await browser.swapStylesheets([
        { path: file, kind: 'update' },
        { path: path.join(dir, 'main.go'), kind: 'update' },
      ]),
      undefined,
    );
    assert.equal(await browser.swapStylesheets([{ path: file, kind: 'delete' }]), undefined);
  } finally {
    browser.dispose();
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
  }
});

test('withStylesheets: css joins a list of extensions that lacks it', () => {
  assert.deepEqual(withStylesheets(['go', 'html']), ['go', 'html', 'css']);
  assert.deepEqual(withStylesheets(['go', '.CSS']), ['go', '.CSS']);
  assert.deepEqual(withStylesheets([]), [], 'empty: every extension already');
});

test('scriptNonce: from script-src-elem, script-src or default-src, the enforced policy first', () => {
  assert.equal(scriptNonce(['Content-Security-Policy', "script-src 'nonce-abc123'"]), 'abc123');
  assert.equal(scriptNonce(['content-security-policy', "default-src 'self' 'nonce-d3f'; img-src *"]), 'd3f');
  assert.equal(scriptNonce(['Content-Security-Policy', "default-src 'nonce-no'; script-src 'self'"]), undefined, 'script-src governs, and has none');
  assert.equal(scriptNonce(['Content-Security-Policy', "script-src-elem 'nonce-elem'; script-src 'nonce-src'"]), 'elem');
  assert.equal(scriptNonce(['Content-Security-Policy-Report-Only', "script-src 'nonce-ro'", 'Content-Security-Policy', "script-src 'nonce-on'"]), 'on');
  assert.equal(scriptNonce(['Content-Security-Policy', "script-src 'nonce-a\"b'"]), undefined, 'nothing that could leave the attribute');
  assert.equal(scriptNonce(['Content-Type', 'text/html']), undefined);
});

test('documents: which requests are pages, which responses are HTML the proxy can rewrite', () => {
  const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as http.IncomingMessage;
  assert.equal(isPageRequest(req('GET', { 'sec-fetch-dest': 'document' })), true);
  assert.equal(isPageRequest(req('POST', { 'sec-fetch-dest': 'document' })), true, 'a form that navigates');
  assert.equal(isPageRequest(req('GET', { 'sec-fetch-dest': 'iframe' })), true, "VS Code's Simple Browser shows pages in a frame");
  assert.equal(isPageRequest(req('GET', { 'sec-fetch-dest': 'empty', accept: 'text/html' })), false, 'fetch');
  assert.equal(isPageRequest(req('GET', { 'sec-fetch-dest': 'document', 'hx-request': 'true' })), false);
  assert.equal(isPageRequest(req('GET', { accept: 'text/html' })), true, 'no Sec-Fetch: a GET that wants HTML');
  assert.equal(isPageRequest(req('GET', { accept: '*/*' })), false);
  assert.equal(isPageRequest(req('HEAD', { 'sec-fetch-dest': 'document' })), false);
  const html = ['Content-Type', 'text/html; charset=utf-8'];
  assert.deepEqual(htmlResponse(200, html), { coding: 'identity' });
  assert.deepEqual(htmlResponse(500, [...html, 'Content-Encoding', 'gzip']), { coding: 'gzip' }, 'error pages reload too');
  assert.equal(htmlResponse(304, html), undefined);
  assert.equal(htmlResponse(302, html), undefined);
  assert.equal(htmlResponse(200, [...html, 'Content-Encoding', 'zstd']), undefined, 'a coding Node 20 cannot open: left alone');
  assert.equal(htmlResponse(200, ['Content-Type', 'text/html; charset=UTF-16']), undefined);
  assert.equal(htmlResponse(200, [...html, 'Content-Disposition', 'attachment; filename=a.html']), undefined);
  assert.equal(htmlResponse(200, ['Content-Type', 'application/json']), undefined);
});
