import { spawn, type ChildProcess } from 'node:child_process';
import type { TargetPlatform, Transport } from './transport';

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };

/** This machine: the supervisor is started as the engine's child, detached from its terminal. */
export class LocalTransport implements Transport {
  readonly kind = 'local' as const;
  readonly label = 'this machine';

  platform(): Promise<TargetPlatform> {
    return Promise.resolve({ goos: process.platform === 'win32' ? 'windows' : process.platform, goarch: GOARCH[process.arch] ?? process.arch });
  }

  install(localBinary: string): Promise<{ binary: string; workDir: undefined }> {
    return Promise.resolve({ binary: localBinary, workDir: undefined });
  }

  start(binary: string, _workDir: string | undefined, env: Record<string, string>): ChildProcess {
    // Detached: a terminal's Ctrl+C reaches the engine, which stops things in order; the supervisor
    // learns of the engine's end by its death signal and the end of its channel.
    return spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } });
  }

  available(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
