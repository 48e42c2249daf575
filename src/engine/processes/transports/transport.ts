/**
 * Where the supervisor, and so the program, runs: this machine, a running Docker container, or a
 * host over SSH. A transport only places the supervisor on its target and starts it with its stdio
 * as the channel; everything else (artifacts, sockets, programs) then goes through the supervisor's
 * own protocol, the same on every target. A Kubernetes pod is `kubectl exec -i` in the same
 * shape (kube/kubeTransport.ts), made by its row of the target table (targets.ts).
 */
import type { ChildProcess } from 'node:child_process';
import type { TargetKind } from '../../settings/targets';

/** A process the engine runs on this machine under its supervisor, so it ends with the engine (however that ends). */
interface HelperProcess {
  onOutput(listener: (stream: 'stdout' | 'stderr', data: Buffer) => void): void;
  readonly exited: Promise<unknown>;
  stop(signal: NodeJS.Signals, graceMs: number): Promise<unknown>;
}
export type RunHelper = (command: string, args: string[]) => HelperProcess;

/** GOOS and GOARCH of a target, asked from it. */
export interface TargetPlatform {
  goos: string;
  goarch: string;
}

export interface Transport {
  /** The kind of place, as the target table (targets.ts) names it. */
  readonly kind: TargetKind;
  /** For the status bar and messages: "web-1", "deploy@10.0.0.5". */
  readonly label: string;
  platform(): Promise<TargetPlatform>;
  /**
   * Places the supervisor built for the target's platform there (when it is not there already) and
   * returns the absolute work dir it may write in (undefined on this machine).
   */
  install(localBinary: string): Promise<{ binary: string; workDir: string | undefined }>;
  /** Starts the placed supervisor; its stdin and stdout are the channel. */
  start(binary: string, workDir: string | undefined, env: Record<string, string>): ChildProcess;
  /** Whether the target can be reached now (the container runs, the host answers). */
  available(): Promise<boolean>;
  /**
   * A local port that reaches `remotePort` where the program runs, for targets whose ports are not
   * this machine's (a pod); absent where the program's port is reached directly. `run` starts the
   * helper that forwards (kubectl) under the engine's supervisor.
   */
  forward?(remotePort: number, run: RunHelper): Promise<number>;
  /**
   * The program's arguments the place itself gives (a pod's container: its command after the
   * executable, then its args), used when the settings give none; undefined where there are none.
   */
  programArgs?(): Promise<string[] | undefined>;
  /** Undoes what reaching the target changed there (a Deployment in development mode goes back); once the supervisor there has ended. */
  release?(): Promise<void>;
}

/** `uname -sm` → GOOS and GOARCH. */
export function parseUname(text: string): TargetPlatform | undefined {
  const [system, machine] = text.trim().split(/\s+/);
  const goos = system?.toLowerCase();
  const arch: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', armv7l: 'arm', i686: '386' };
  const goarch = machine ? arch[machine] : undefined;
  return goos && goarch ? { goos, goarch } : undefined;
}
