import * as path from 'node:path';
import type { Settings } from './settings';

/**
 * File extensions that trigger a reload by default: Go sources and the module files, plus the
 * template files Go web programs commonly embed or parse at start (the same set air watches by
 * default, plus "gohtml"). Other embedded assets (css, js, json, sql, ...) are left out on purpose:
 * programs often write such files at run time inside the tree, which would reload in a loop. Add
 * them with the `extensions` (or `alwaysInclude`) setting when the program embeds them.
 */
export const DEFAULT_EXTENSIONS: readonly string[] = ['go', 'mod', 'sum', 'html', 'tmpl', 'tpl', 'gohtml'];

/**
 * Defaults of the optional settings of the "handoff" and "proxy" strategies (they are left out of
 * `defaultSettings` so that absent keeps meaning "the default").
 */
export const DEFAULT_READY_TIMEOUT_MS = 10000;
export const DEFAULT_DRAIN_TIMEOUT_MS = 10000;

/** Name of the engine's work dir, under root. */
export const WORK_DIR_NAME = '.hotreload';

/**
 * The settings every target starts from, before .air.toml and the front ends' layers.
 *
 * - `package` is empty: `resolveSettings` discovers the main package.
 * - `moduleRoot` is `root` here; `resolveSettings` replaces it with the directory holding go.mod.
 * - No env file is loaded implicitly, not even `<root>/.env`: only files named in `envFiles`.
 * - `excludeRegex` and `exclude` are empty; the path filter always ignores .git, vendor,
 *   node_modules, the work dir and editor temp files on its own.
 *
 * Every call returns fresh arrays and objects, so callers may mutate the result.
 */
export function defaultSettings(root: string): Settings {
  const absRoot = path.resolve(root);
  return {
    root: absRoot,
    moduleRoot: absRoot,
    package: '',
    buildFlags: [],
    buildEnv: {},
    preBuildCommands: [],
    postStopCommands: [],
    args: [],
    env: {},
    envFiles: [],
    cwd: absRoot,
    include: [],
    exclude: [],
    excludeRegex: [],
    alwaysInclude: [],
    extensions: [...DEFAULT_EXTENSIONS],
    useGitignore: true,
    stopSignal: 'SIGTERM',
    gracePeriodMs: 5000,
    debounceMs: 10,
    crashWindowMs: 1000,
    watcher: 'native',
    pollIntervalMs: 500,
    keepRunningOnBuildError: true,
    rerun: false,
    rerunDelayMs: 500,
    strategy: 'auto',
    workDir: path.join(absRoot, WORK_DIR_NAME),
    clearOnReload: false,
    cleanOnExit: false,
  };
}
