import { defaultWorkDir } from '../workDir';
import { flag, list, number, optionalNumber, optionalText, text } from './spec';

/** The handoff and proxy strategies: where the engine listens, and how versions take over. */
export const ZERO_DOWNTIME = {
  listenAddress: optionalText({
    group: 'zeroDowntime',
    doc: 'The public address the engine holds for the handoff and proxy strategies (and browser reload’s proxy), as `[host]:port` (`:8080`, `0.0.0.0:8080`, `[::]:8080`). With no host named it listens on loopback only (127.0.0.1, and ::1 where it can), so the program is not on your network: name `0.0.0.0` (every IPv4 interface) or `[::]` (every interface) to open it. In a container, every interface of the container (it is reached through the ports you publish). Empty: `#hotReload.proxyPort#`, else (handoff) `#hotReload.appPort#`, else the `PORT` the program’s environment sets, else 8080.',
    vscode: true,
    cli: { flag: 'listen', arg: 'address', help: 'the public address for handoff and proxy (loopback unless a host is named), e.g. 0.0.0.0:8080' },
  }),
  proxyPort: optionalNumber({
    group: 'zeroDowntime',
    minimum: 1,
    maximum: 65535,
    integer: true,
    doc: 'The port the proxy strategy listens on and forwards to your program (air’s `proxy.proxy_port`).',
    vscode: true,
    cli: { flag: 'proxy-port', arg: 'port', takes: 'integer' },
    air: { keys: ['proxy.proxy_port'], via: 'proxyPort' },
  }),
  appPort: optionalNumber({
    group: 'zeroDowntime',
    minimum: 1,
    maximum: 65535,
    integer: true,
    doc: 'A fixed port your program itself listens on (air’s `proxy.app_port`). Empty: with the proxy strategy each version gets a fresh port in `PORT`, so old and new run side by side; with it set the old version stops before the new one starts. For handoff it is the public port when neither `#hotReload.listenAddress#` nor `#hotReload.proxyPort#` is set.',
    vscode: true,
    cli: { flag: 'app-port', arg: 'port', takes: 'integer' },
    air: { keys: ['proxy.app_port'], via: 'proxyPort' },
  }),
  healthPath: optionalText({
    group: 'zeroDowntime',
    doc: 'For the proxy strategy: a path (for example `/healthz`) a new version must answer with 2xx or 3xx to count as ready. Empty: accepting a connection on its port is enough.',
    vscode: true,
    cli: { flag: 'health-path', arg: 'path' },
  }),
  readyTimeoutMs: number({
    group: 'zeroDowntime',
    default: 10000,
    minimum: 0,
    doc: 'How long a new version may take to become ready (handoff: report ready; proxy: accept a connection or answer `#hotReload.healthPath#`) before it is stopped and the old version keeps serving, in milliseconds.',
    vscode: true,
    cli: { flag: 'ready-timeout', arg: 'ms', takes: 'duration' },
  }),
  drainTimeoutMs: number({
    group: 'zeroDowntime',
    default: 10000,
    minimum: 0,
    doc: 'How long an old version may take to finish its requests once a new one serves, in milliseconds (handoff passes it as `HOTRELOAD_DRAIN_TIMEOUT`).',
    vscode: true,
    cli: { flag: 'drain-timeout', arg: 'ms', takes: 'duration' },
  }),
};

/** The patch strategy. */
export const PATCH = {
  plugins: list({
    group: 'patch',
    doc: 'Plugin folders for the patch strategy, relative to the module root: each a `package main` exporting `func HotReloadV1() any`, loaded into the slot (`patch.NewSlot` of `hotreload.dev/go/hotreload/patch`) named after the folder. Empty: every such folder in the module.',
    vscode: true,
    cli: { flag: 'plugin', arg: 'dir', takes: 'repeat', help: 'a plugin folder for the patch strategy (repeatable)' },
  }),
  patchLimit: number({
    group: 'patch',
    default: 50,
    minimum: 1,
    integer: true,
    doc: 'After this many live patches the next change gets a clean handoff: neither Go plugins nor Node modules can be unloaded.',
    vscode: true,
    cli: { flag: 'patch-limit', arg: 'n', takes: 'integer' },
  }),
  patchMemoryMB: number({
    group: 'patch',
    default: 1024,
    minimum: 1,
    doc: 'Past this resident memory (in MB) of the patched process, the next change gets a clean handoff.',
    vscode: true,
    cli: { flag: 'patch-memory', arg: 'MB', takes: 'integer' },
  }),
};

/** Where run-time files go. */
export const WORK_DIR = {
  workDir: text({
    group: 'workDir',
    default: defaultWorkDir,
    doc: 'Where Hot Reload keeps build artifacts and source snapshots. Empty: a folder of its own in your cache directory (`~/.cache/hotreload/projects/`), outside the project. Set it (relative to the project folder, for example `.hotreload`) to keep them beside the code.',
    vscode: true,
    path: true,
    cli: { flag: 'work-dir', arg: 'dir' },
  }),
  cleanOnExit: flag({
    group: 'workDir',
    default: false,
    doc: 'Delete the work dir when hot reload stops.',
    vscode: true,
    cli: { flag: 'clean-on-exit', sets: true, help: 'delete the work dir when hot reload stops' },
    air: { keys: ['misc.clean_on_exit'] },
  }),
};
