/**
 * Headless Chromium (Debian's, driven by playwright-core from test/e2e/node_modules) for tests
 * that look at the program's own pages, with what a user would call an error counted on every
 * tab: a navigation that failed or answered an error, a Chromium error page, a failed request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from './playwright';
import { CHROMIUM_ARGS } from './startupSettings';
import { paths } from './tooling';

interface Request {
  url(): string;
  isNavigationRequest(): boolean;
  resourceType(): string;
  failure(): { errorText: string } | null;
}

interface Response {
  url(): string;
  status(): number;
  request(): Request;
}

interface Frame {
  url(): string;
  parentFrame(): Frame | null;
}

/** The parts of a Playwright page these tests use beyond the workbench helpers' own. */
export interface BrowserPage extends Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit' }): Promise<unknown>;
  close(): Promise<void>;
  waitForFunction(expression: string, arg?: unknown, options?: { timeout?: number; polling?: number | 'raf' }): Promise<unknown>;
  on(event: 'console', listener: (msg: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (err: Error) => void): void;
  on(event: 'requestfailed', listener: (request: Request) => void): void;
  on(event: 'response', listener: (response: Response) => void): void;
  on(event: 'framenavigated', listener: (frame: Frame) => void): void;
  mainFrame(): Frame;
}

interface Context {
  newPage(): Promise<BrowserPage>;
  on(event: 'request', listener: (request: Request) => void): void;
  close(): Promise<void>;
}

interface Browser {
  newContext(options?: { viewport?: { width: number; height: number } }): Promise<Context>;
  close(): Promise<void>;
}

export interface Tabs {
  /** Opens a new tab in the one browser and loads `url` in it. */
  open(url: string): Promise<BrowserPage>;
  /** Requests for the engine's event stream the whole browser made, so far. */
  eventStreamRequests(): number;
  /** Every navigation error, error page and failed request, on every tab. */
  errors: string[];
  /** The same, on one tab. */
  errorsOf(page: BrowserPage): string[];
  /** Document loads per tab (a reload is one more). */
  loads(page: BrowserPage): number;
  close(): Promise<void>;
}

/** Whether Chromium and playwright-core are there (the workbench tests need more). */
export function chromiumMissing(): string[] {
  const missing: string[] = [];
  if (!fs.existsSync(path.join(paths.playwrightCore, 'package.json'))) missing.push(`playwright-core (${paths.playwrightCore}): bash scripts/install-e2e.sh`);
  if (!fs.existsSync(paths.chromium)) missing.push(`chromium (${paths.chromium})`);
  return missing;
}

/** One headless browser (one profile, so its tabs share BroadcastChannel and Web Locks). */
export async function launchTabs(): Promise<Tabs> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require(paths.playwrightCore) as { chromium: { launch(o: Record<string, unknown>): Promise<Browser> } };
  const browser = await chromium.launch({ executablePath: paths.chromium, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const errors: string[] = [];
  const errorsOf = new Map<BrowserPage, string[]>();
  const loads = new Map<BrowserPage, number>();
  let streams = 0;
  context.on('request', (r) => {
    if (new URL(r.url()).pathname === '/__hotreload/events') streams++;
  });
  return {
    errors,
    errorsOf: (page) => errorsOf.get(page) ?? [],
    eventStreamRequests: () => streams,
    loads: (page) => loads.get(page) ?? 0,
    async open(url) {
      const page = await context.newPage();
      const tab = `tab ${loads.size + 1}`;
      loads.set(page, 0);
      const own: string[] = [];
      errorsOf.set(page, own);
      const error = (text: string) => (errors.push(`${tab}: ${text}`), own.push(text));
      page.on('framenavigated', (frame) => {
        if (frame.parentFrame() !== null) return;
        loads.set(page, (loads.get(page) ?? 0) + 1);
        if (!frame.url().startsWith('http')) error(`navigated to ${frame.url()}`);
      });
      page.on('response', (r) => {
        if (r.request().isNavigationRequest() && r.status() >= 400) error(`${r.url()} answered ${r.status()}`);
      });
      page.on('requestfailed', (r) => {
        // A reload cancels what the page had under way (its event stream, say): that is no error.
        const why = r.failure()?.errorText ?? '';
        if (why !== 'net::ERR_ABORTED') error(`${r.resourceType()} ${r.url()} failed: ${why}`);
      });
      page.on('pageerror', (e) => error(`script error: ${e.message}`));
      await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}
