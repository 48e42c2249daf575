/**
 * The Kubernetes target's test app, in its own namespace of the test cluster (kube.ts): the
 * kubeapp fixture (FROM scratch) as Deployment `app`, one replica on the node's network at
 * 127.0.0.1:`port` with the probes a real service has, and Hot Reload's agent image as users get
 * it (written by the engine: hotreload kube-agent-image), both loaded into the cluster's
 * containerd. KUBECONFIG and PATH point at the cluster (as a user's would) until `close()`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSupervisor, platformOf } from '../../src/engine/processes/supervisor/binary';
import { agentImageArchive } from '../../src/engine/processes/transports/kube/agentImage';
import { ORIGINAL_SPEC_ANNOTATION } from '../../src/engine/processes/transports/kube/devMode';
import { repoRoot } from './examples';
import { tempDir } from './files';
import { httpGet } from './http';
import { applyManifest, kubectlSync, loadImage, removeImage, scratchImageTar, useKubeCluster, waitForDeploymentPod, type KubeCluster } from './kube';
import { freePort } from './ports';
import { eventually } from './waiting';

export interface KubeApp {
  cluster: KubeCluster;
  namespace: string;
  agentImage: string;
  /** Where the Deployment's program listens, on the node's (this machine's) loopback. */
  port: number;
  /** The settings that make it the target. */
  target: { kubernetes: string; kubeNamespace: string; kubeAgentImage: string };
  /** The Deployment's spec as the API server has it now. */
  spec(): string;
  inDevMode(): boolean;
  /** Asserts the Deployment is as it was, its own program serves again and nothing of ours runs on the node. */
  restored(): Promise<void>;
  close(): void;
}

/** This machine's processes whose command line has every one of `words`. */
export function processesWith(words: string[]): string[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
        return words.every((w) => cmdline.includes(w)) ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/** Processes on this machine (the node) running something from a pod's agent folder. */
export function oursOnTheNode(): string[] {
  return processesWith(['/.hotreload/']);
}

export async function openKubeApp(prefix: string): Promise<KubeApp> {
  const cluster = useKubeCluster();
  const env = { KUBECONFIG: process.env.KUBECONFIG, PATH: process.env.PATH };
  process.env.KUBECONFIG = cluster.kubeconfig;
  process.env.PATH = `${cluster.bin}${path.delimiter}${process.env.PATH}`;
  const namespace = `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
  const appImage = `hotreload.invalid/kubeapp:${namespace}`;
  const agentImage = `hotreload.invalid/agent:${namespace}`;
  const work = tempDir('hr-kubeapp-');
  const close = () => {
    Object.assign(process.env, env);
    try {
      kubectlSync(cluster, ['delete', 'namespace', namespace, '--ignore-not-found', '--wait', '--timeout', '120s']);
      removeImage(cluster, appImage);
      removeImage(cluster, agentImage);
    } finally {
      cluster.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  };
  try {
    const binary = path.join(work, 'kubeapp');
    execFileSync('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', binary, '.'], {
      cwd: path.join(repoRoot, 'test', 'fixtures', 'kubeapp'),
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    loadImage(cluster, scratchImageTar({ binary, ref: appImage }));
    const agentTar = path.join(work, 'agent.tar');
    const supervisor = await findSupervisor(platformOf('linux', 'amd64'));
    fs.writeFileSync(agentTar, agentImageArchive({ supervisor, ref: agentImage, goos: 'linux', goarch: 'amd64' }));
    loadImage(cluster, agentTar);
    const port = await freePort();
    applyManifest(
      cluster,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      kubeappDeployment({ namespace, name: 'app', image: appImage, port, liveness: true }),
    );
    await waitForDeploymentPod(cluster, { namespace, name: 'app' });
    const spec = () => kubectlSync(cluster, ['get', 'deployment', 'app', '-n', namespace, '-o', 'jsonpath={.spec}']);
    const annotations = () =>
      JSON.parse(kubectlSync(cluster, ['get', 'deployment', 'app', '-n', namespace, '-o', 'jsonpath={.metadata.annotations}']) || '{}') as Record<
        string,
        string
      >;
    const original = spec();
    return {
      cluster,
      namespace,
      agentImage,
      port,
      target: { kubernetes: 'deployment/app', kubeNamespace: namespace, kubeAgentImage: agentImage },
      spec,
      inDevMode: () => ORIGINAL_SPEC_ANNOTATION in annotations(),
      async restored() {
        assert.equal(spec(), original, 'Stop gave the Deployment its spec back byte for byte');
        assert.ok(!(ORIGINAL_SPEC_ANNOTATION in annotations()), 'our annotation is gone');
        await eventually(
          'the original program to serve again',
          async () => /^hello v1 from pid \d+$/.test((await httpGet(port).catch(() => ({ body: '' }))).body),
          { timeoutMs: 120_000 },
        );
        await eventually(
          () => `nothing of ours left on the node: ${oursOnTheNode().join('; ')}`,
          () => oursOnTheNode().length === 0,
          { timeoutMs: 30_000 },
        );
      },
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}

/**
 * One replica of the kubeapp server (test/fixtures/kubeapp) as Deployment `name` on the node's
 * network at 127.0.0.1:`port`, with a readiness probe and (`liveness`) a liveness probe.
 */
export function kubeappDeployment(options: { namespace: string; name: string; image: string; port: number; liveness: boolean }): Record<string, unknown> {
  const { namespace, name, image, port } = options;
  const labels = { app: 'kubeapp' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      // On the host's network the new pod needs the port the old one holds: old goes first.
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true,
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'app',
              image,
              imagePullPolicy: 'Never',
              command: ['/kubeapp', 'serve', `127.0.0.1:${port}`, 'hello v1'],
              readinessProbe: { tcpSocket: { host: '127.0.0.1', port }, periodSeconds: 1 },
              ...(options.liveness ? { livenessProbe: { tcpSocket: { host: '127.0.0.1', port }, periodSeconds: 2, failureThreshold: 2 } } : {}),
            },
          ],
        },
      },
    },
  };
}
