import type { ChildProcess } from 'node:child_process';
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
 * `kubectl port-forward pod/NAME [LOCAL]:REMOTE` on 127.0.0.1, resolved once kubectl says where it
 * listens. `localPort` asks for the port a previous forward had, so the address the user opened
 * stays the same when the pod is replaced.
 */
export function portForward(kubectl: Kubectl, pod: string, remotePort: number, localPort?: number): Promise<PortForward> {
  const child: ChildProcess = kubectl.spawn(['port-forward', '--address', '127.0.0.1', `pod/${pod}`, `${localPort ?? ''}:${remotePort}`]);
  child.stdin?.end();
  let output = '';
  let exited = false;
  child.once('exit', () => (exited = true));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`kubectl port-forward to port ${remotePort} of pod/${pod}: ${why}`));
    };
    const timer = setTimeout(() => fail(`it did not start within ${FORWARD_TIMEOUT_MS / 1000} s (${output.trim()})`), FORWARD_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      const match = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      // Its later chatter ("Handling connection for …") is drained, not kept.
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({
        localPort: Number(match[1]),
        pod,
        get alive() {
          return !exited;
        },
        dispose: () => void child.kill('SIGTERM'),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code) => fail(`kubectl exited (${code ?? 'signal'}): ${output.trim()}`));
  });
}
