import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The supervisor's platform folder, named as VS Code names extension targets ("linux-x64"). */
function supervisorPlatform(): string {
  return `${process.platform}-${process.arch}`;
}

function supervisorFileName(platform = supervisorPlatform()): string {
  return platform.startsWith('win32') ? 'hotreload-supervisor.exe' : 'hotreload-supervisor';
}

const NODE_ARCH: Record<string, string> = { amd64: 'x64', arm64: 'arm64', '386': 'ia32', arm: 'arm' };

/** The platform folder for GOOS and GOARCH (a remote target's): "linux-arm64". */
export function platformOf(goos: string, goarch: string): string {
  return `${goos === 'windows' ? 'win32' : goos}-${NODE_ARCH[goarch] ?? goarch}`;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };

/** GOOS and GOARCH for a platform folder name. */
function goTarget(platform: string): { goos: string; goarch: string } {
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

const found = new Map<string, Promise<string>>();

/**
 * The supervisor for a platform (this machine's by default, or a remote target's): for this
 * machine HOTRELOAD_SUPERVISOR when set; else the prebuilt binary beside the engine's bundle
 * (`supervisor/<platform>/` next to dist/*.js, as the .vsix ships it for its own platform); else
 * one built from the supervisor's source (in a checkout, or shipped in the .vsix) with the Go
 * toolchain into the user's cache. Rejects with a sentence that says what is missing.
 */
export function findSupervisor(platform = supervisorPlatform()): Promise<string> {
  let pending = found.get(platform);
  if (!pending) {
    pending = locate(platform).catch((err: unknown) => {
      found.delete(platform);
      throw err;
    });
    found.set(platform, pending);
  }
  return pending;
}

async function locate(platform: string): Promise<string> {
  const fromEnv = process.env.HOTRELOAD_SUPERVISOR;
  if (fromEnv && platform === supervisorPlatform()) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`HOTRELOAD_SUPERVISOR is ${fromEnv}, which is not an executable file`);
  }
  const name = supervisorFileName(platform);
  for (const dir of upwards(__dirname)) {
    for (const candidate of [path.join(dir, 'supervisor', platform, name), path.join(dir, 'dist', 'supervisor', platform, name)]) {
      if (isExecutable(candidate)) return candidate;
    }
  }
  const source = upwards(__dirname)
    .map((dir) => path.join(dir, 'supervisor'))
    .find((dir) => fs.existsSync(path.join(dir, 'go.mod')) && fs.existsSync(path.join(dir, 'main.go')) && dir !== path.join(os.homedir(), 'supervisor'));
  if (source) return buildFromSource(source, platform, name);
  throw new Error(
    `the Hot Reload supervisor for ${platform} is missing from this installation (no supervisor/${platform}/${name} beside the engine, and no source to build it from): ` +
      'install the extension build for your platform, or set HOTRELOAD_SUPERVISOR to a supervisor binary',
  );
}

/** Builds the supervisor with the Go toolchain into the user's cache (checkouts without `npm run build`). */
async function buildFromSource(source: string, platform: string, name: string): Promise<string> {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  // Named after the source it was built from: an update of the extension builds anew.
  const hash = crypto.createHash('sha256');
  for (const file of fs
    .readdirSync(source)
    .filter((f) => f.endsWith('.go') || f === 'go.mod')
    .sort())
    hash.update(file).update(fs.readFileSync(path.join(source, file)));
  const out = path.join(cache, 'hotreload', 'supervisor', `${platform}-${hash.digest('hex').slice(0, 12)}`, name);
  if (isExecutable(out)) return out;
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
