import type { RunHelper } from '../transport';
import type { Kubectl } from './kubectl';

/** A local port that reaches a port of the pod, while `kubectl port-forward` runs. */
export interface PortForward {
  readonly localPort: number;
  /** The pod it reaches. */
  readonly pod: string;
  /** Whether kubectl still forwards (it ends with its pod). */
  readonly alive: boolean;
  dispose(): void;
}

const FORWARD_TIMEOUT_MS = 30_000;

/**
 * `kubectl port-forward pod/NAME [LOCAL]:REMOTE` on 127.0.0.1, run under the engine's supervisor
 * (a killed engine leaves no forward behind holding the port), resolved once kubectl says where it
 * listens. `localPort` asks for the port a previous forward had, so the address the user opened
 * stays the same when the pod is replaced.
 */
export function portForward({ kubectl, run }: { kubectl: Kubectl; run: RunHelper }, pod: string, remotePort: number, localPort?: number): Promise<PortForward> {
  const child = run(kubectl.bin, kubectl.args('port-forward', '--address', '127.0.0.1', `pod/${pod}`, `${localPort ?? ''}:${remotePort}`));
  let output = '';
  let listening = false;
  let exited = false;
  return new Promise((resolve, reject) => {
    const stop = () => void child.stop('SIGTERM', 1000);
    const fail = (why: string) => {
      clearTimeout(timer);
      stop();
      reject(new Error(`kubectl port-forward to port ${remotePort} of pod/${pod}: ${why}`));
    };
    const timer = setTimeout(() => fail(`it did not start within ${FORWARD_TIMEOUT_MS / 1000} s (${output.trim()})`), FORWARD_TIMEOUT_MS);
    child.onOutput((_stream, chunk) => {
      // Only what comes before it listens is kept; later chatter ("Handling connection for …") is dropped.
      if (listening) return;
      output = (output + chunk.toString()).slice(-4000);
      const match = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(output);
      if (!match) return;
      listening = true;
      clearTimeout(timer);
      resolve({
        localPort: Number(match[1]),
        pod,
        get alive() {
          return !exited;
        },
        dispose: stop,
      });
    });
    void child.exited.then(() => {
      exited = true;
      if (!listening) fail(`kubectl exited: ${output.trim()}`);
    });
  });
}
