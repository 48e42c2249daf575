/**
 * The part of playwright-core's API the end-to-end tests use, typed here: playwright-core lives in
 * test/e2e/node_modules (installed by scripts/install-e2e.sh), not in the root project, so it is
 * loaded with a runtime `require` and the root typecheck needs neither it nor its types.
 */
import { paths } from './tooling';

export interface Keyboard {
  press(key: string, options?: { delay?: number }): Promise<void>;
  type(text: string, options?: { delay?: number }): Promise<void>;
  insertText(text: string): Promise<void>;
  down(key: string): Promise<void>;
  up(key: string): Promise<void>;
}

export interface Locator {
  click(options?: { timeout?: number; force?: boolean; button?: 'left' | 'right' | 'middle'; position?: { x: number; y: number } }): Promise<void>;
  dblclick(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  focus(options?: { timeout?: number }): Promise<void>;
  press(key: string, options?: { timeout?: number }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  innerText(options?: { timeout?: number }): Promise<string>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  isVisible(): Promise<boolean>;
  count(): Promise<number>;
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  filter(options: { hasText?: string | RegExp; hasNotText?: string | RegExp; has?: Locator }): Locator;
  getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
  allInnerTexts(): Promise<string[]>;
  allTextContents(): Promise<string[]>;
  screenshot(options?: { path?: string; timeout?: number }): Promise<Buffer>;
}

export interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit' }): Promise<unknown>;
  reload(options?: { timeout?: number }): Promise<unknown>;
  url(): string;
  title(): Promise<string>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
  waitForSelector(selector: string, options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  screenshot(options?: { path?: string; fullPage?: boolean; timeout?: number }): Promise<Buffer>;
  evaluate<R>(expression: string): Promise<R>;
  keyboard: Keyboard;
  mouse: { click(x: number, y: number): Promise<void>; move(x: number, y: number): Promise<void>; wheel(dx: number, dy: number): Promise<void> };
  on(event: 'console', listener: (msg: ConsoleMessage) => void): void;
  on(event: 'pageerror', listener: (err: Error) => void): void;
  bringToFront(): Promise<void>;
  isClosed(): boolean;
}

export interface BrowserContext {
  pages(): Page[];
  /** A tab the workbench opened (window.open: an external link, Open in Browser). */
  on(event: 'page', listener: (page: Page) => void): void;
  newPage(): Promise<Page>;
  close(): Promise<void>;
  setDefaultTimeout(ms: number): void;
}

export interface BrowserType {
  launchPersistentContext(
    userDataDir: string,
    options: {
      executablePath?: string;
      headless?: boolean;
      args?: string[];
      env?: Record<string, string | undefined>;
      viewport?: { width: number; height: number };
      timeout?: number;
      handleSIGINT?: boolean;
      handleSIGTERM?: boolean;
      handleSIGHUP?: boolean;
    },
  ): Promise<BrowserContext>;
}

export function loadPlaywright(): { chromium: BrowserType } {
  // Resolved from test/e2e/node_modules at run time: the root project has no
  // dependency on playwright.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(paths.playwrightCore) as { chromium: BrowserType };
}
