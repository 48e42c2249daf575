import type { ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { RunHelper, TargetPlatform, Transport } from '../transport';
import { AGENT_DIR, AGENT_PATH, containerIndex, DEFAULT_AGENT_IMAGE, fromDevMode, inDevMode, originalSpec, toDevMode, type Deployment } from './devMode';
import { Kubectl, type KubeScope } from './kubectl';
import { devModePod } from './pods';
import { portForward, type PortForward } from './portForward';

/** How long a pod in development mode may take to run (an image to pull, a node to schedule on). */
const POD_TIMEOUT_MS = 180_000;
const POLL_MS = 500;

export interface KubeTarget extends KubeScope {
  /** The setting's value: "deployment/NAME" or "NAME". */
  workload: string;
  container?: string;
  agentImage?: string;
  /** Where the supervisor keeps the session's builds; inside the agent's emptyDir by default. */
  workDir?: string;
}

/**
 * The pod of a Deployment. Reaching it puts the Deployment in development mode (devMode.ts) and
 * waits for its pod; the engine's supervisor is then streamed in through the agent
 * (`kubectl exec -i … receive`, no tar or shell in the image) and started with `kubectl exec -i`,
 * its stdio the channel. Each reach looks the pod up again: a deleted pod is followed to the next.
 * `release` puts the Deployment back as it was.
 */
export class KubeTransport implements Transport {
  readonly kind = 'kubernetes';
  readonly label: string;
  private readonly kubectl: Kubectl;
  private readonly name: string;
  private readonly agentImage: string;
  private pod: { name: string; container: string } | undefined;
  /** Whether this session put the Deployment in development mode, or found it left so. */
  private holds = false;
  private forwarded: PortForward | undefined;
  private containerArgs: string[] | undefined;

  constructor(private readonly target: KubeTarget) {
    this.name = target.workload.replace(/^[^/]*\//, '');
    this.label = `deployment/${this.name}`;
    this.kubectl = new Kubectl(target);
    this.agentImage = target.agentImage || DEFAULT_AGENT_IMAGE;
  }

  private get deploymentRef(): string[] {
    return ['deployment', this.name];
  }

  private async deployment(): Promise<Deployment> {
    try {
      return await this.kubectl.json<Deployment>(['get', ...this.deploymentRef]);
    } catch (err) {
      throw new Error(`${this.label} in ${this.kubectl.where}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The Deployment in development mode (put so now, or found so), and its running pod. */
  private async reachPod(timeoutMs = POD_TIMEOUT_MS): Promise<{ name: string; container: string }> {
    let deployment = await this.deployment();
    for (let attempt = 1; !inDevMode(deployment); attempt++) {
      // Guarded by the resourceVersion read: a write in between is a conflict, tried again on the fresh object.
      await this.kubectl.run(['replace', '-f', '-'], { input: Buffer.from(JSON.stringify(toDevMode(deployment, this.target))) }).catch((err: Error) => {
        if (attempt >= 3 || !/conflict|modified/i.test(err.message)) throw err;
      });
      deployment = await this.deployment();
    }
    this.holds = true;
    const index = containerIndex(deployment, this.target.container);
    const container = deployment.spec.template.spec.containers[index].name;
    const original = (originalSpec(deployment) ?? deployment.spec).template.spec.containers[index];
    const args = [...(original.command ?? []).slice(1), ...(original.args ?? [])];
    this.containerArgs = args.length > 0 ? args : undefined;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pod = await devModePod(this.kubectl, deployment, container, this.agentImage);
      if (pod) return (this.pod = { name: pod.metadata.name, container });
      if (Date.now() > deadline)
        throw new Error(`no pod of ${this.label} in development mode runs after ${Math.round(timeoutMs / 1000)} s: see kubectl describe ${this.label}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private exec(pod: { name: string; container: string }, command: string[], interactive: boolean): string[] {
    return ['exec', ...(interactive ? ['-i'] : []), pod.name, '-c', pod.container, '--', ...command];
  }

  async platform(): Promise<TargetPlatform> {
    const pod = await this.reachPod();
    const version = await this.kubectl.run(this.exec(pod, [AGENT_PATH, 'version'], false));
    const match = / (\w+)\/(\w+)\s*$/.exec(version);
    if (!match)
      throw new Error(`Hot Reload's agent in pod/${pod.name} says "${version.trim()}", not its platform: set kubeAgentImage to a current agent image`);
    return { goos: match[1], goarch: match[2] };
  }

  async install(localBinary: string): Promise<{ binary: string; workDir: string }> {
    const pod = this.pod ?? (await this.reachPod());
    const content = fs.readFileSync(localBinary);
    const hash = crypto.createHash('sha256').update(content).digest('hex');
    const binary = `${AGENT_DIR}/supervisor-${hash.slice(0, 16)}`;
    const there = await this.kubectl.run(this.exec(pod, [binary, 'version'], false)).then(
      () => true,
      () => false,
    );
    if (!there) {
      const received = await this.kubectl.run(this.exec(pod, [AGENT_PATH, 'receive', binary], true), { input: content, timeoutMs: 120_000 });
      if (received.trim() !== `${content.length} ${hash}`) throw new Error(`the supervisor did not arrive whole in pod/${pod.name} (${received.trim()})`);
    }
    return { binary, workDir: this.target.workDir ?? `${AGENT_DIR}/session` };
  }

  start(binary: string, workDir: string | undefined, _env: Record<string, string>): ChildProcess {
    const pod = this.pod;
    if (!pod) throw new Error(`${this.label}: no pod reached yet`);
    return this.kubectl.spawn(this.exec(pod, [binary, 'serve', '-workdir', workDir ?? `${AGENT_DIR}/session`, '-watchdog-ms', '5000'], true));
  }

  async available(): Promise<boolean> {
    try {
      const deployment = await this.deployment();
      const container = deployment.spec.template.spec.containers[containerIndex(deployment, this.target.container)].name;
      this.pod = undefined;
      return inDevMode(deployment) && (await devModePod(this.kubectl, deployment, container, this.agentImage)) !== undefined;
    } catch {
      return false;
    }
  }

  /** The container's own arguments, from its spec as it was before development mode (read when the pod is reached). */
  programArgs(): Promise<string[] | undefined> {
    return Promise.resolve(this.containerArgs);
  }

  /** A port-forward to the current pod, kept while it lives and made again (on the same local port) for the next pod. */
  async forward(remotePort: number, run: RunHelper): Promise<number> {
    const pod = this.pod ?? (await this.reachPod());
    const current = this.forwarded;
    if (current?.alive && current.pod === pod.name) return current.localPort;
    current?.dispose();
    this.forwarded = undefined;
    const tools = { kubectl: this.kubectl, run };
    this.forwarded = await portForward(tools, pod.name, remotePort, current?.localPort).catch(() => portForward(tools, pod.name, remotePort));
    return this.forwarded.localPort;
  }

  /** Puts the Deployment back as it was before development mode (a conflicting write is retried on the fresh object). */
  async release(): Promise<void> {
    this.forwarded?.dispose();
    this.forwarded = undefined;
    if (!this.holds) return;
    for (let attempt = 1; ; attempt++) {
      const deployment = await this.deployment();
      if (!inDevMode(deployment)) break;
      try {
        await this.kubectl.run(['replace', '-f', '-'], { input: Buffer.from(JSON.stringify(fromDevMode(deployment))) });
        break;
      } catch (err) {
        if (attempt >= 3 || !/conflict|modified/i.test((err as Error).message)) throw err;
      }
    }
    this.holds = false;
    this.pod = undefined;
  }
}
