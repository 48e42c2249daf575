/**
 * The engine's configuration for one target, fully resolved: every path is
 * absolute and every default is filled in. Front ends (CLI flags, VS Code
 * settings, .air.toml) each translate into a `PartialSettings`, and
 * `resolveSettings` merges and validates them.
 */
export type Strategy = 'restart' | 'handoff' | 'proxy' | 'patch';

export interface Settings {
  /** The workspace folder or the directory the CLI was started in. */
  root: string;
  /** The Go module root (where go.mod is), at or above/below `root`. */
  moduleRoot: string;
  /** Go package to build, as `go build` takes it (e.g. "./cmd/server"); set after discovery. */
  package: string;
  /**
   * A custom build command instead of `go build` (air's `build.cmd`), run through the shell
   * in `root`. When set, `binary` names the file it produces, which the engine then copies
   * into a versioned artifact.
   */
  buildCommand?: string;
  /** The file the custom build command produces (air's `build.bin`), absolute. */
  binary?: string;
  /** Extra flags for `go build` (e.g. ["-tags", "dev", "-race"]). */
  buildFlags: string[];
  /** Extra environment for the build only (e.g. CGO_ENABLED). */
  buildEnv: Record<string, string>;
  /** Commands run in `root` before each build (air's `pre_cmd`); a failure fails the build. */
  preBuildCommands: string[];
  /** Commands run in `root` after the program stops for the last time (air's `post_cmd`). */
  postStopCommands: string[];
  /** Arguments for the program. */
  args: string[];
  /** Environment for the program, on top of the engine's own, after env files. */
  env: Record<string, string>;
  /** Env files (dotenv format), absolute, loaded in order; later ones win. */
  envFiles: string[];
  /** The program's working directory, absolute. */
  cwd: string;
  /** Glob patterns (relative to root) a changed file must match to count; empty means all. */
  include: string[];
  /** Glob patterns (relative to root) that never trigger a reload. */
  exclude: string[];
  /** Regular expressions (source text) on the root-relative path that never trigger a reload. */
  excludeRegex: string[];
  /**
   * Glob patterns (relative to root) of files that count even when their extension is not in
   * `extensions`, they match no `include` pattern, or git ignores them (air's `build.include_file`,
   * e.g. ".env"). `exclude`, `excludeRegex` and the built-in ignores (.git, vendor, node_modules,
   * the work dir, editor temp files) still apply. Optional: absent means none.
   */
  alwaysInclude?: string[];
  /** File extensions that count, without the dot (e.g. ["go", "mod", "sum"]). Empty means any. */
  extensions: string[];
  /** Honour .gitignore files under root. */
  useGitignore: boolean;
  /** Signal sent to the program's process group to stop it. */
  stopSignal: NodeJS.Signals;
  /** How long to wait after the stop signal before SIGKILL, in ms. */
  gracePeriodMs: number;
  /** Trailing debounce for watcher events, in ms. */
  debounceMs: number;
  /** A program that exits within this many ms of starting counts as crashed on start. */
  crashWindowMs: number;
  /** Watch with the native watcher, or poll (network drives, containers). */
  watcher: 'native' | 'polling';
  /** Poll interval when `watcher` is "polling", in ms. */
  pollIntervalMs: number;
  /** Keep the old version running when a build fails (true), or stop it (air's stop_on_error). */
  keepRunningOnBuildError: boolean;
  /** Restart the program when it exits by itself (air's `rerun`), after `rerunDelayMs`. */
  rerun: boolean;
  rerunDelayMs: number;
  /** Run strategy; "auto" picks handoff for programs that import go/hotreload, else restart. */
  strategy: Strategy | 'auto';
  /** Where the engine keeps artifacts and its pid records; absolute, gitignored. */
  workDir: string;
  /** Clear the terminal before each reload (air's `screen.clear_on_rebuild`). */
  clearOnReload: boolean;
  /** Delete the work dir when the engine exits (air's `misc.clean_on_exit`). */
  cleanOnExit: boolean;
  /**
   * Patch strategy: plugin folders (relative to the module root), each a `package main` exporting
   * `func HotReloadV1() any`, loaded into the slot named after the folder. Empty or absent: every
   * such folder in the module.
   */
  plugins?: string[];
  /** Patch strategy: after this many patches the next change gets a clean handoff (old plugin code stays in memory). Default 50. */
  patchLimit?: number;
  /** Patch strategy: past this resident memory (MB) the next change gets a clean handoff. Default 1024. */
  patchMemoryMB?: number;
  /**
   * For the "proxy" strategy: the port the engine listens on and forwards to the program
   * (air's `proxy.proxy_port`). Optional: absent means the proxy strategy picks its own.
   */
  proxyPort?: number;
  /**
   * For the "proxy" strategy: a fixed port the program itself listens on (air's `proxy.app_port`).
   * Without it each version gets a fresh loopback port in PORT, so old and new run side by side; with
   * it the old version must stop before the new one starts (the proxy holds requests meanwhile).
   * For "handoff" it is the public port when neither listenAddress nor proxyPort is set.
   */
  appPort?: number;
  /**
   * For the "handoff" and "proxy" strategies: the public address the engine holds, "[host]:port"
   * (":8080", "127.0.0.1:8080", "[::1]:8080"). Optional: absent means every interface on proxyPort,
   * else (handoff) appPort, else the PORT the program's environment sets, else 8080.
   */
  listenAddress?: string;
  /**
   * For "handoff" and "proxy": how long a new version may take to become ready (handoff: report
   * ready on its notify fd; proxy: accept a connection on its port, or answer healthPath) before it
   * is stopped and the old version keeps serving, in ms. Optional: absent means 10000.
   */
  readyTimeoutMs?: number;
  /**
   * For "handoff" and "proxy": how long an old version may take to finish its in-flight requests
   * once a new one serves, in ms (handoff passes it as HOTRELOAD_DRAIN_TIMEOUT and kills the old
   * group after it plus gracePeriodMs; proxy waits for them, then stops it). Optional: 10000.
   */
  drainTimeoutMs?: number;
  /**
   * For "proxy": a path (e.g. "/healthz") a new version must answer with 2xx or 3xx to count as
   * ready. Optional: absent means a successful TCP connection to its port is enough.
   */
  healthPath?: string;
}

/** What a front end or config file may say; anything missing takes the default. */
export type PartialSettings = Partial<Settings>;

/** A problem found while reading configuration: a clear sentence and where it came from. */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  /** e.g. ".air.toml" or "hotReload.args". */
  source: string;
  message: string;
  /** The file the problem is in, absolute, when it is in a file (e.g. the .air.toml). */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** 1-based column in `file`, when known. */
  column?: number;
}
