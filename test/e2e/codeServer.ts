/**
 * Starts the real VS Code workbench (code-server) headless and opens it in Debian's Chromium
 * through playwright-core, for end-to-end tests.
 *
 * Every process started here (code-server, its extension host, terminals, Chromium) carries a
 * unique marker variable in its environment; close() kills the process groups and then anything
 * left carrying the marker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadPlaywright, type BrowserContext, type Page } from './playwright';
import { CHROMIUM_ARGS, DEFAULT_USER_SETTINGS } from './startupSettings';
import { e2eToolingStatus, paths, SKIP_HINT } from './tooling';
import { keepScreenshotsIn, waitForWorkbench } from './workbench';
import { httpGetOrError } from '../support/http';
import { freePort } from '../support/ports';
import { killGroup, pidsWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';

/** Handles still open, killed synchronously if the test process exits without closing them. */
const liveHandles = new Set<{ kill(): void }>();
process.on('exit', () => {
  for (const h of liveHandles) h.kill();
});

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
  const place = prepareLaunch(opts);
  // 1. Install the extension(s) before the server starts, like a user would with `code --install-extension`.
  await installExtensions(place, opts.vsix);
  // 2. Serve.
  const port = await freePort();
  const launched = new Launched(place, serve(place, port, opts));
  try {
    await launched.waitUntilServing(port, startTimeout);
    // 3. Browser.
    const { context, page } = await launched.openBrowser(opts.viewport);
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(place.workspace)}`;
    await page.goto(url, { timeout: startTimeout, waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, startTimeout);
    const { workspace, extensionsDir, userDataDir, tempDir, screenshotsDir, codeServerLog, runId } = place;
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
      close: () => launched.close(),
    };
  } catch (e) {
    await launched.close();
    throw e;
  }
}

/** Where one launch keeps everything (one short temp dir), and the environment of all it starts. */
interface LaunchPlace {
  workspace: string;
  screenshotsDir: string;
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  profileDir: string;
  codeServerLog: string;
  consoleLog: string;
  runId: string;
  env: NodeJS.ProcessEnv;
  /** code-server's arguments for both installing and serving: its config, user data and extensions. */
  baseArgs: string[];
  /** Leave the temp dir behind on close. */
  keepTemp: boolean;
}

/** Makes the temp dirs, code-server's config and the user settings; sets the environment apart. */
function prepareLaunch(opts: LaunchOptions): LaunchPlace {
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
  return {
    workspace,
    screenshotsDir,
    tempDir,
    userDataDir,
    extensionsDir,
    profileDir,
    codeServerLog,
    consoleLog: path.join(screenshotsDir, 'browser-console.log'),
    runId,
    env,
    baseArgs,
    keepTemp: opts.keepTemp === true || process.env.HOTRELOAD_E2E_KEEP === '1',
  };
}

async function installExtensions(place: LaunchPlace, vsixes: string | string[] | undefined): Promise<void> {
  for (const vsix of ([] as string[]).concat(vsixes ?? [])) {
    const r = await runToEnd(paths.node24, [...place.baseArgs, '--install-extension', path.resolve(vsix), '--force'], place.env, 120_000);
    fs.appendFileSync(place.codeServerLog, `--install-extension ${vsix} -> ${r.status}\n${r.output}\n`);
    if (r.status !== 0) {
      if (!place.keepTemp) fs.rmSync(place.tempDir, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.output}`);
    }
  }
}

/** code-server serving the workspace on 127.0.0.1:`port`, in a process group of its own, its output in code-server.log. */
function serve(place: LaunchPlace, port: number, opts: LaunchOptions): ChildProcess {
  const serverArgs = [
    ...place.baseArgs,
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
    place.workspace,
  ];
  const logFd = fs.openSync(place.codeServerLog, 'a');
  const server = spawn(paths.node24, serverArgs, { env: place.env, cwd: place.workspace, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  return server;
}

/** What one launch started (code-server, then the browser), and how to take it all down. */
class Launched {
  private context: BrowserContext | undefined;
  private closeConsoleLog = () => {};
  private closed = false;
  private serverExit: string | undefined;
  /** For the exit handler: kills everything at once, synchronously. */
  private readonly emergency = { kill: () => this.killAllNow() };

  constructor(
    private readonly place: LaunchPlace,
    private readonly server: ChildProcess,
  ) {
    server.on('exit', (code, sig) => (this.serverExit = `code-server exited (${code ?? sig})`));
    liveHandles.add(this.emergency);
  }

  async waitUntilServing(port: number, timeoutMs: number): Promise<void> {
    const { codeServerLog } = this.place;
    await eventually(
      `code-server to serve on http://127.0.0.1:${port} (log: ${codeServerLog})`,
      async () => {
        if (this.serverExit) throw new Error(`${this.serverExit}; see ${codeServerLog}`);
        const health = await httpGetOrError(port, '/healthz', 1000);
        return 'status' in health && health.status === 200;
      },
      { timeoutMs, intervalMs: 250 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail(codeServerLog, 30)}`);
    });
  }

  /** Headless Chromium on its own profile, its console kept in browser-console.log. */
  async openBrowser(viewport: LaunchOptions['viewport']): Promise<{ context: BrowserContext; page: Page }> {
    const { chromium } = loadPlaywright();
    const context = await chromium.launchPersistentContext(this.place.profileDir, {
      executablePath: paths.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...this.place.env, HOME: process.env.HOME ?? '/root' },
      viewport: viewport ?? { width: 1400, height: 900 },
      timeout: 60_000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    this.context = context;
    context.setDefaultTimeout(30_000);
    const page = context.pages()[0] ?? (await context.newPage());
    keepScreenshotsIn(page, this.place.screenshotsDir);
    const consoleStream = fs.createWriteStream(this.place.consoleLog, { flags: 'a' });
    consoleStream.write(`\n===== ${new Date().toISOString()} launch ${this.place.runId}\n`);
    page.on('console', (m) => consoleStream.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleStream.write(`[pageerror] ${e.message}\n`));
    this.closeConsoleLog = () => consoleStream.end();
    return { context, page };
  }

  /** Kills the browser and code-server (process groups, then anything left with the marker). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.context) {
      const ctx = this.context;
      // An unref'd timer: a bound on the wait must not keep the test process alive.
      await Promise.race([ctx.close().catch(() => undefined), sleep(10_000, undefined, { ref: false })]);
    }
    const serverPgid = this.server.pid;
    killGroup(serverPgid, 'SIGTERM');
    const exited = await eventually('code-server to exit', () => this.serverExit !== undefined || this.server.exitCode !== null, {
      timeoutMs: 5_000,
      intervalMs: 200,
    }).catch(() => false);
    if (!exited) killGroup(serverPgid, 'SIGKILL');
    await this.sweepMarked();
    liveHandles.delete(this.emergency);
    this.closeConsoleLog();
    if (!this.place.keepTemp) fs.rmSync(this.place.tempDir, { recursive: true, force: true });
  }

  /** Terminals (node-pty does setsid) and the browser leave the group: they are found by the marker. */
  private async sweepMarked(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const left = pidsWithEnv(RUN_ENV, this.place.runId);
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
  }

  private killAllNow(): void {
    killGroup(this.server.pid, 'SIGKILL');
    for (const pid of pidsWithEnv(RUN_ENV, this.place.runId)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
