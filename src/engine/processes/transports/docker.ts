import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTool } from './cli';
import { composeProject } from './containers';
import type { TargetPlatform, Transport } from './transport';

/** Where the supervisor lives in a container unless remoteWorkDir says otherwise. */
const DOCKER_WORK_DIR = '/.hotreload';

/**
 * A running Docker container. The supervisor is copied in with `docker cp` and run with
 * `docker exec -i`, which need nothing inside the image (no shell, no tar): `FROM scratch` and
 * distroless images work. Its work dir is `/.hotreload` by default.
 */
export class DockerTransport implements Transport {
  /** A container named in the settings, or the one a Compose service runs as. */
  readonly kind: 'container' | 'compose';
  private readonly workDir: string;
  private readonly docker: string;

  constructor(
    readonly label: string,
    options: { kind?: 'container' | 'compose'; workDir?: string; docker?: string } = {},
  ) {
    this.kind = options.kind ?? 'container';
    this.workDir = options.workDir ?? DOCKER_WORK_DIR;
    this.docker = options.docker ?? 'docker';
  }

  /** The container a Compose service runs as (project: COMPOSE_PROJECT_NAME, else the folder's name). */
  static async forComposeService(service: string, projectDir: string, workDir?: string): Promise<DockerTransport> {
    const project = composeProject(projectDir);
    const names = (
      await runTool('docker', [
        'ps',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        `label=com.docker.compose.service=${service}`,
        '--format',
        '{{.Names}}',
      ])
    )
      .split('\n')
      .filter(Boolean);
    if (names.length === 0) throw new Error(`no running container of the Compose service ${service} (project ${project}): start it with docker compose up`);
    return new DockerTransport(names[0], { kind: 'compose', workDir });
  }

  async platform(): Promise<TargetPlatform> {
    const image = (await runTool(this.docker, ['inspect', '--format', '{{.Image}}', this.label])).trim();
    const [goos, goarch] = (await runTool(this.docker, ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image])).trim().split('/');
    return { goos, goarch };
  }

  async install(localBinary: string): Promise<{ binary: string; workDir: string }> {
    if (!(await this.available())) throw new Error(`the container ${this.label} is not running: start it, or pick another target`);
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-docker-'));
    try {
      const name = path.basename(localBinary);
      fs.copyFileSync(localBinary, path.join(stage, name));
      fs.chmodSync(path.join(stage, name), 0o755);
      fs.chmodSync(stage, 0o755);
      // "dir/." copies the folder's content, creating the destination when it is not there.
      await runTool(this.docker, ['cp', `${stage}/.`, `${this.label}:${this.workDir}`], { timeoutMs: 60_000 });
      return { binary: `${this.workDir}/${name}`, workDir: this.workDir };
    } finally {
      fs.rmSync(stage, { recursive: true, force: true });
    }
  }

  start(binary: string, workDir: string | undefined, env: Record<string, string>): ChildProcess {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    return spawn(this.docker, ['exec', '-i', ...envArgs, this.label, binary, 'serve', '-workdir', workDir ?? this.workDir, '-watchdog-ms', '5000'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  async available(): Promise<boolean> {
    try {
      return (await runTool(this.docker, ['inspect', '--format', '{{.State.Running}}', this.label], { timeoutMs: 10_000 })).trim() === 'true';
    } catch {
      return false;
    }
  }
}
