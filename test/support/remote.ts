/**
 * Remote targets for tests: a real Docker Engine (DOCKER_HOST, started by .ci/run) running
 * containers of a FROM scratch image, and a real sshd on 127.0.0.1 with keys made here. Without
 * them the tests skip, unless HOTRELOAD_REMOTE_REQUIRED is set (CI), where they fail instead.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './examples';
import { tempDir } from './files';
import { freePort } from './ports';
import { eventually } from './waiting';

const IMAGE = 'hotreload-test-idle';

/** Why remote tests cannot run here, or undefined when they can. */
export function dockerMissing(): string | undefined {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe', timeout: 10_000 });
    return undefined;
  } catch (err) {
    return `no Docker Engine reachable (DOCKER_HOST=${process.env.DOCKER_HOST ?? 'unset'}): ${(err as Error).message.split('\n')[0]}`;
  }
}

/** node:test's `skip` option: a reason to skip, or false; a missing requirement fails in CI. */
export function skipUnless(missing: string | undefined): string | false {
  if (!missing) return false;
  if (process.env.HOTRELOAD_REMOTE_REQUIRED) throw new Error(`remote-target tests are required here, but ${missing}`);
  return missing;
}

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

/** The FROM scratch test image: one static binary that waits for a signal. Built once. */
export function ensureIdleImage(): string {
  try {
    docker('image', 'inspect', IMAGE);
    return IMAGE;
  } catch {
    // not built yet
  }
  const ctx = tempDir('hr-image-');
  execFileSync('go', ['build', '-o', path.join(ctx, 'idle'), '.'], {
    cwd: path.join(repoRoot, 'test', 'fixtures', 'idle'),
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY idle /idle\nENTRYPOINT ["/idle"]\n');
  docker('build', '-q', '-t', IMAGE, ctx);
  return IMAGE;
}

/** A running container of the test image, on the host's network (the engine's loopback is its loopback). */
export function startContainer(): { name: string; remove(): void } {
  const name = `hr-test-${crypto.randomBytes(4).toString('hex')}`;
  docker('run', '-d', '--name', name, '--network', 'host', ensureIdleImage());
  return {
    name,
    remove: () => {
      try {
        docker('rm', '-f', name);
      } catch {
        // already gone
      }
    },
  };
}

/** The processes running in a container, as `docker top` lists them (their command lines). */
export function containerProcesses(name: string): string[] {
  // `docker top` needs the pid column to map its rows; drop it from what we return.
  return docker('top', name, '-o', 'pid,args')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.trim().replace(/^\d+\s+/, ''));
}

/** Files under a path in a container (`docker cp` out; no shell needed inside). */
export function containerFiles(name: string, dir: string): string[] {
  const out = tempDir('hr-cp-');
  try {
    docker('cp', `${name}:${dir}/.`, out);
  } catch {
    return [];
  }
  const listed: string[] = [];
  for (const entry of fs.readdirSync(out, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) listed.push(path.relative(out, path.join(entry.parentPath, entry.name)));
  return listed;
}

export interface SshHost {
  host: string;
  options: string[];
  stop(): void;
}

/** Why an sshd cannot be started here, or undefined when it can. */
export function sshdMissing(): string | undefined {
  if (!fs.existsSync('/usr/sbin/sshd')) return 'no sshd (Debian openssh-server) installed';
  if (process.getuid?.() !== 0) return 'sshd for the tests needs root';
  return undefined;
}

/** An sshd on 127.0.0.1 at a free port, logging in as this user with a key made for the test. */
export async function startSshd(): Promise<SshHost> {
  const dir = tempDir('hr-sshd-');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'hostkey')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'client')]);
  fs.copyFileSync(path.join(dir, 'client.pub'), path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'hostkey')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
    ].join('\n') + '\n',
  );
  fs.mkdirSync('/run/sshd', { recursive: true });
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' });
  const options = [
    '-p',
    String(port),
    '-i',
    path.join(dir, 'client'),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
  ];
  const host = `${process.env.USER ?? 'root'}@127.0.0.1`;
  await eventually('sshd answers', () => {
    execFileSync('ssh', ['-o', 'BatchMode=yes', ...options, '-T', host, 'true'], { stdio: 'ignore', timeout: 5000 });
    return true;
  });
  return { host, options, stop: () => sshd.kill('SIGTERM') };
}
