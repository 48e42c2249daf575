/**
 * The tools Hot Reload is compared with, installed the way their users install them, into a cache
 * folder of their own (HOTRELOAD_PEERS_DIR, default ~/.cache/hotreload/peers), once per version:
 * air and reflex with `go install` through the module proxy, watchexec with `cargo install` when
 * cargo exists, entr from Debian's packages (apt-get as root), nodemon and tsx from npm into
 * bench/node_modules. A tool that cannot be had is left out with the reason.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../test/support/examples';

const AIR = 'github.com/air-verse/air@v1.67.4';
const REFLEX = 'github.com/cespare/reflex@v0.3.1';
const WATCHEXEC = { crate: 'watchexec-cli', version: '2.3.2' };

type PeerName = 'air' | 'reflex' | 'entr' | 'watchexec' | 'nodemon' | 'tsx';

/** Where each tool is, with its version, or why it is left out. */
export type Peers = Record<PeerName, { bin: string; version: string } | { skip: string }>;

const peersDir = () => process.env.HOTRELOAD_PEERS_DIR ?? path.join(os.homedir(), '.cache', 'hotreload', 'peers');

function quiet(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = repoRoot): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000 });
}

function which(command: string): string | undefined {
  try {
    return quiet('sh', ['-c', `command -v ${command}`]).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `go install module@version` into the cache's own folder (one per version). */
function goInstall(moduleAtVersion: string): { bin: string; version: string } | { skip: string } {
  const [module, version] = moduleAtVersion.split('@');
  const dir = path.join(peersDir(), 'go', version);
  const bin = path.join(dir, path.basename(module));
  if (!fs.existsSync(bin)) {
    try {
      quiet('go', ['install', moduleAtVersion], { ...process.env, GOBIN: dir, GOFLAGS: '-mod=mod' });
    } catch (err) {
      return { skip: `go install ${moduleAtVersion} failed: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  return { bin, version };
}

function watchexec(): { bin: string; version: string } | { skip: string } {
  const root = path.join(peersDir(), 'cargo', WATCHEXEC.version);
  const bin = path.join(root, 'bin', 'watchexec');
  if (fs.existsSync(bin)) return { bin, version: WATCHEXEC.version };
  const cargo =
    which('cargo') ?? (fs.existsSync(path.join(os.homedir(), '.cargo', 'bin', 'cargo')) ? path.join(os.homedir(), '.cargo', 'bin', 'cargo') : undefined);
  if (!cargo) return { skip: 'cargo is not installed' };
  try {
    console.log(`# installing ${WATCHEXEC.crate} ${WATCHEXEC.version} with cargo (several minutes, once)`);
    quiet(cargo, ['install', WATCHEXEC.crate, '--version', WATCHEXEC.version, '--locked', '--root', root]);
    return { bin, version: WATCHEXEC.version };
  } catch (err) {
    return { skip: `cargo install ${WATCHEXEC.crate} failed: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}` };
  }
}

function entr(): { bin: string; version: string } | { skip: string } {
  let bin = which('entr');
  if (!bin && process.getuid?.() === 0 && which('apt-get')) {
    try {
      quiet('apt-get', ['install', '-y', '-q', 'entr'], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
    } catch {
      try {
        quiet('apt-get', ['update', '-q']);
        quiet('apt-get', ['install', '-y', '-q', 'entr'], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
      } catch (err) {
        return { skip: `apt-get install entr failed: ${(err as Error).message.split('\n')[0]}` };
      }
    }
    bin = which('entr');
  }
  if (!bin) return { skip: 'entr is not installed (apt-get install entr)' };
  let version = 'unknown';
  try {
    version = quiet('dpkg-query', ['-W', '-f=${Version}', 'entr']).trim();
  } catch {
    // not from a Debian package
  }
  return { bin, version };
}

function npmTool(name: 'nodemon' | 'tsx'): { bin: string; version: string } | { skip: string } {
  const modules = path.join(repoRoot, 'bench', 'node_modules');
  if (!fs.existsSync(path.join(modules, '.bin', name))) {
    try {
      quiet('npm', ['install', '--prefix', path.join(repoRoot, 'bench'), '--no-audit', '--no-fund', '--loglevel=error']);
    } catch (err) {
      return { skip: `npm install --prefix bench failed: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')) as { version: string };
  return { bin: path.join(modules, '.bin', name), version };
}

/** air alone, for a benchmark that compares with nothing else (no cargo build of watchexec on a fresh machine). */
export function installAir(): Peers['air'] {
  return goInstall(AIR);
}

export function installPeers(): Peers {
  return { air: installAir(), reflex: goInstall(REFLEX), entr: entr(), watchexec: watchexec(), nodemon: npmTool('nodemon'), tsx: npmTool('tsx') };
}
