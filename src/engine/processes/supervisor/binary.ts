import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The supervisor's platform folder, named as VS Code names extension targets ("linux-x64"). */
export function supervisorPlatform(): string {
  return `${process.platform}-${process.arch}`;
}

export function supervisorFileName(): string {
  return process.platform === 'win32' ? 'hotreload-supervisor.exe' : 'hotreload-supervisor';
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };

/** GOOS and GOARCH for a platform folder name. */
export function goTarget(platform: string): { goos: string; goarch: string } {
  const [nodeOs, nodeArch] = platform.split('-');
  return { goos: nodeOs === 'win32' ? 'windows' : nodeOs, goarch: GOARCH[nodeArch] ?? nodeArch };
}

/** Whether `file` can run; a file that lost its execute bit on the way (some unzip tools drop it) gets it back. */
function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      fs.chmodSync(file, 0o755);
    }
    return true;
  } catch {
    return false;
  }
}

/** `dir` and its parents, nearest first. */
function upwards(dir: string, levels = 8): string[] {
  const dirs: string[] = [];
  for (let d = dir, i = 0; i < levels; i++, d = path.dirname(d)) {
    dirs.push(d);
    if (path.dirname(d) === d) break;
  }
  return dirs;
}

let found: Promise<string> | undefined;

/**
 * The supervisor for this platform: HOTRELOAD_SUPERVISOR when set, else the prebuilt binary beside
 * the engine's bundle (`supervisor/<platform>/` next to dist/*.js, as the .vsix ships it), else one
 * built from the source in a checkout into the user's cache (this needs Go). Rejects with a
 * sentence that says what is missing.
 */
export function findSupervisor(): Promise<string> {
  found ??= locate().catch((err: unknown) => {
    found = undefined;
    throw err;
  });
  return found;
}

async function locate(): Promise<string> {
  const fromEnv = process.env.HOTRELOAD_SUPERVISOR;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`HOTRELOAD_SUPERVISOR is ${fromEnv}, which is not an executable file`);
  }
  const platform = supervisorPlatform();
  const name = supervisorFileName();
  for (const dir of upwards(__dirname)) {
    for (const candidate of [path.join(dir, 'supervisor', platform, name), path.join(dir, 'dist', 'supervisor', platform, name)]) {
      if (isExecutable(candidate)) return candidate;
    }
  }
  const source = upwards(__dirname)
    .map((dir) => path.join(dir, 'supervisor'))
    .find((dir) => fs.existsSync(path.join(dir, 'go.mod')) && fs.existsSync(path.join(dir, 'main.go')));
  if (source) return buildFromSource(source, platform, name);
  throw new Error(
    `the Hot Reload supervisor for ${platform} is missing from this installation (no supervisor/${platform}/${name} beside the engine): ` +
      'install the extension build for your platform, or set HOTRELOAD_SUPERVISOR to a supervisor binary',
  );
}

/** Builds the supervisor with the Go toolchain into the user's cache (checkouts without `npm run build`). */
async function buildFromSource(source: string, platform: string, name: string): Promise<string> {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const out = path.join(cache, 'hotreload', 'supervisor', platform, name);
  const { goos, goarch } = goTarget(platform);
  await new Promise<void>((resolve, reject) =>
    execFile(
      'go',
      ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'],
      { cwd: source, env: { ...process.env, CGO_ENABLED: '0', GOOS: goos, GOARCH: goarch }, timeout: 120_000 },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`the Hot Reload supervisor is not built and building it from ${source} failed: ${stderr.trim() || err.message}`)) : resolve(),
    ),
  );
  return out;
}
