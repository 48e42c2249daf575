import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { runTool } from './cli';
import { parseUname, type TargetPlatform, type Transport } from './transport';

/** Never a password prompt (there is nobody to answer it), and a dead host noticed in seconds. */
const SSH_DEFAULTS = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=2', '-o', 'ServerAliveCountMax=3'];

/**
 * A Linux (or macOS) host over SSH, with the user's own ssh client and configuration. The
 * supervisor is copied into the remote work dir (`~/.cache/hotreload/agent` by default) and run
 * with `ssh -T`; its stdio is the channel.
 */
export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  private resolvedWorkDir: string | undefined;

  constructor(
    readonly label: string,
    private readonly options: string[] = [],
    private readonly workDir?: string,
  ) {}

  private args(...rest: string[]): string[] {
    return [...SSH_DEFAULTS, ...this.options, '-T', this.label, ...rest];
  }

  async platform(): Promise<TargetPlatform> {
    const uname = await runTool('ssh', this.args('uname', '-sm'));
    const platform = parseUname(uname);
    if (!platform) throw new Error(`${this.label} says it is "${uname.trim()}", a system Hot Reload has no supervisor for`);
    return platform;
  }

  async install(localBinary: string): Promise<{ binary: string; workDir: string }> {
    const dir = this.workDir ?? '$HOME/.cache/hotreload/agent';
    const content = fs.readFileSync(localBinary);
    const hash = crypto.createHash('sha256').update(content).digest('hex');
    // One round trip: make the work dir, say where it is, and which supervisor is there already.
    const probe = await runTool(
      'ssh',
      this.args(
        `mkdir -p "${dir}" && chmod 700 "${dir}" && cd "${dir}" && pwd && { sha256sum hotreload-supervisor 2>/dev/null || shasum -a 256 hotreload-supervisor 2>/dev/null || echo none; }`,
      ),
    );
    const [workDir, there] = probe.trim().split('\n');
    this.resolvedWorkDir = workDir;
    const binary = `${workDir}/hotreload-supervisor`;
    if (!there?.startsWith(hash)) {
      await runTool('ssh', this.args(`cat > "${binary}.part" && chmod 700 "${binary}.part" && mv "${binary}.part" "${binary}"`), {
        input: content,
        timeoutMs: 120_000,
      });
    }
    return { binary, workDir };
  }

  start(binary: string, workDir: string | undefined, env: Record<string, string>): ChildProcess {
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    return spawn('ssh', this.args(...assignments, 'exec', binary, 'serve', '-workdir', workDir ?? this.resolvedWorkDir ?? '', '-watchdog-ms', '5000'), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  async available(): Promise<boolean> {
    try {
      await runTool('ssh', this.args('true'), { timeoutMs: 10_000 });
      return true;
    } catch {
      return false;
    }
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
