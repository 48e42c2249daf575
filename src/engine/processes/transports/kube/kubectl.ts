import { spawn, type ChildProcess } from 'node:child_process';
import { runTool } from '../cli';

/** Where kubectl points: the settings' namespace and context, else kubectl's own current ones. */
export interface KubeScope {
  namespace?: string;
  context?: string;
  /** The kubectl to run (tests give the cluster's); `kubectl` on the PATH by default. */
  kubectl?: string;
}

/**
 * The user's own kubectl, with their kubeconfig, contexts and auth plugins, scoped to the
 * settings' context and namespace. Every call has a timeout: a cluster that does not answer is
 * an error that says so, never a hang.
 */
export class Kubectl {
  readonly bin: string;

  constructor(private readonly scope: KubeScope = {}) {
    this.bin = scope.kubectl ?? 'kubectl';
  }

  /** "namespace shop", or "kubectl's current namespace", for messages. */
  get where(): string {
    return this.scope.namespace ? `namespace ${this.scope.namespace}` : 'the current namespace';
  }

  /** The verb first (so a message names it: "kubectl get pods: …"), then the scope, then the rest. */
  args(verb: string, ...rest: string[]): string[] {
    return [verb, ...(this.scope.context ? ['--context', this.scope.context] : []), ...(this.scope.namespace ? ['-n', this.scope.namespace] : []), ...rest];
  }

  run([verb, ...rest]: string[], options: { input?: Buffer; timeoutMs?: number } = {}): Promise<string> {
    return runTool(this.bin, this.args(verb, '--request-timeout=20s', ...rest), { ...options, what: `kubectl ${verb} ${rest[0] ?? ''}`.trim() });
  }

  async json<T>(args: string[], options: { timeoutMs?: number } = {}): Promise<T> {
    return JSON.parse(await this.run([...args, '-o', 'json'], options)) as T;
  }

  /** A long-running kubectl (exec -i, port-forward) with its stdio piped. */
  spawn([verb, ...rest]: string[]): ChildProcess {
    return spawn(this.bin, this.args(verb, ...rest), { stdio: ['pipe', 'pipe', 'pipe'] });
  }
}
