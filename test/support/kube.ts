/**
 * A real single-node Kubernetes cluster for tests (scripts/kube-cluster.sh): the one .ci/run
 * started (HOTRELOAD_KUBE_DIR names its folder), or, where the binaries are built
 * (scripts/install-kube.sh) and we are root, one started for the test file and stopped after it.
 * Without either the tests skip with the reason, unless HOTRELOAD_KUBE_REQUIRED is set (CI), where
 * they fail. Images are FROM scratch docker-archive tars loaded into the cluster's containerd, so
 * no registry and no Docker are needed; pods use them with imagePullPolicy: Never.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './examples';
import { tempDir } from './files';
import { eventually } from './waiting';

export interface KubeCluster {
  /** The cluster's folder (kubeconfig, logs/, containerd's socket …). */
  dir: string;
  kubeconfig: string;
  /** The folder of its binaries: kubectl, ctr … */
  bin: string;
  /** Stops the cluster if this process started it; the shared one stays. */
  stop(): void;
}

const script = (name: string): string => path.join(repoRoot, 'scripts', name);

/** The built binaries' folder, or undefined when install-kube.sh has not built them. */
function installedBin(): string | undefined {
  try {
    return execFileSync('bash', [script('install-kube.sh'), '--installed'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Why no cluster can be had here, or undefined when one can. */
export function kubeMissing(): string | undefined {
  const shared = process.env.HOTRELOAD_KUBE_DIR;
  if (shared) {
    try {
      kubectlSync(openCluster(shared), ['get', '--raw', '/readyz']);
      return undefined;
    } catch (err) {
      return `the cluster in HOTRELOAD_KUBE_DIR=${shared} does not answer: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  if (process.getuid?.() !== 0) return 'a Kubernetes cluster for the tests needs root (the kubelet and containerd)';
  if (!installedBin()) return 'no Kubernetes cluster: HOTRELOAD_KUBE_DIR is unset and the binaries are not built (bash scripts/install-kube.sh)';
  return undefined;
}

/** node:test's `skip` option: a reason to skip, or false; a missing cluster fails where it is required (CI). */
export function skipUnlessKube(missing: string | undefined): string | false {
  if (!missing) return false;
  if (process.env.HOTRELOAD_KUBE_REQUIRED) throw new Error(`Kubernetes tests are required here, but ${missing}`);
  return missing;
}

function openCluster(dir: string, stop: () => void = () => undefined): KubeCluster {
  const bin = fs.readFileSync(path.join(dir, 'run', 'bin'), 'utf8').trim();
  return { dir, kubeconfig: path.join(dir, 'kubeconfig'), bin, stop };
}

/** The shared cluster, or a new one (about 30 s to start) that `stop()` removes with its folder. */
export function useKubeCluster(): KubeCluster {
  const shared = process.env.HOTRELOAD_KUBE_DIR;
  if (shared) return openCluster(shared);
  const dir = tempDir('hr-kube-');
  const run = (action: string): void => {
    execFileSync('bash', [script('kube-cluster.sh'), action, dir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  };
  try {
    run('start');
  } catch (err) {
    run('stop');
    throw err;
  }
  return openCluster(dir, () => {
    run('stop');
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** kubectl against the cluster, with `input` on its stdin; rejects on a non-zero exit or after `timeoutMs`. */
export function kubectl(cluster: KubeCluster, args: string[], options: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(cluster.bin, 'kubectl'), ['--kubeconfig', cluster.kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined); // kubectl may exit before reading it all; its exit code says why
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout: Buffer.concat(out), stderr };
      if (code === 0) resolve(result);
      else reject(new Error(`kubectl ${args.join(' ')}: ${signal ? `killed (${signal}) after its timeout` : `exit ${code}`}: ${stderr.trim()}`));
    });
  });
}

/** kubectl, synchronously, for setup and cleanup: its stdout. */
export function kubectlSync(cluster: KubeCluster, args: string[], input?: string): string {
  return execFileSync(path.join(cluster.bin, 'kubectl'), ['--kubeconfig', cluster.kubeconfig, ...args], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

/** A Kubernetes object, as written in a manifest. */
export type KubeObject = Record<string, unknown>;

/** `kubectl apply` of these objects (JSON is YAML). */
export function applyManifest(cluster: KubeCluster, ...objects: KubeObject[]): string {
  return kubectlSync(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
}

/** `kubectl delete` of these objects, waiting until they are gone; one already gone is no error. */
export function deleteManifest(cluster: KubeCluster, ...objects: KubeObject[]): string {
  return kubectlSync(
    cluster,
    ['delete', '--ignore-not-found', '--wait', '--timeout', '120s', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  );
}

/**
 * A `FROM scratch` image holding one static binary at `/<name>` as its entrypoint, written as a
 * docker-archive tar (scripts/kube-image.sh); returns the tar's path.
 */
export function scratchImageTar(options: { binary: string; ref: string; name?: string }): string {
  const name = options.name ?? path.basename(options.binary);
  const work = tempDir('hr-kube-image-');
  fs.mkdirSync(path.join(work, 'rootfs'));
  fs.copyFileSync(options.binary, path.join(work, 'rootfs', name));
  fs.chmodSync(path.join(work, 'rootfs', name), 0o755);
  const tar = path.join(work, 'image.tar');
  execFileSync('bash', [script('kube-image.sh'), tar, options.ref, path.join(work, 'rootfs'), `/${name}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  fs.rmSync(path.join(work, 'rootfs'), { recursive: true });
  return tar;
}

/** Loads a docker-archive tar into the cluster's containerd, where the kubelet finds it. */
export function loadImage(cluster: KubeCluster, tar: string): void {
  ctr(cluster, ['images', 'import', '--snapshotter', 'native', tar]);
}

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  status: { phase?: string; containerStatuses?: { ready: boolean; state?: { running?: unknown } }[] };
}

/**
 * Waits until the Deployment `name` in `namespace` has exactly one pod, Running with every
 * container ready and not being deleted, that is not one of `notNamed` (pods replaced since);
 * returns its name.
 */
export async function waitForDeploymentPod(
  cluster: KubeCluster,
  options: { namespace: string; name: string; notNamed?: string[]; timeoutMs?: number },
): Promise<string> {
  const selector = kubectlSync(cluster, ['get', 'deployment', options.name, '-n', options.namespace, '-o', 'jsonpath={.spec.selector.matchLabels}']);
  const labels = Object.entries(JSON.parse(selector) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  let seen = '';
  return eventually(
    () => `a Running pod of deployment ${options.namespace}/${options.name} (last seen: ${seen})`,
    () => {
      const pods = (JSON.parse(kubectlSync(cluster, ['get', 'pods', '-n', options.namespace, '-l', labels, '-o', 'json'])) as { items: PodJson[] }).items;
      seen = pods.map((p) => `${p.metadata.name}:${p.status.phase ?? '?'}${p.metadata.deletionTimestamp ? ':deleting' : ''}`).join(' ') || 'no pod';
      if (pods.length !== 1) return undefined;
      const [pod] = pods;
      const running = pod.status.phase === 'Running' && !pod.metadata.deletionTimestamp;
      const ready = (pod.status.containerStatuses ?? []).every((c) => c.ready && c.state?.running);
      return running && ready && !(options.notNamed ?? []).includes(pod.metadata.name) ? pod.metadata.name : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 120_000, intervalMs: 250 },
  );
}

/** `kubectl port-forward` of `target` (pod/NAME …) to a free local port on 127.0.0.1, until `stop()`. */
export async function portForward(
  cluster: KubeCluster,
  options: { namespace: string; target: string; remotePort: number },
): Promise<{ localPort: number; stop(): void }> {
  const child = spawn(
    path.join(cluster.bin, 'kubectl'),
    ['--kubeconfig', cluster.kubeconfig, 'port-forward', '-n', options.namespace, '--address', '127.0.0.1', options.target, `:${options.remotePort}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  try {
    const localPort = await eventually(
      () => `kubectl port-forward to say where it listens (output: ${output.trim()})`,
      () => {
        if (child.exitCode !== null) throw new Error(`kubectl port-forward exited ${child.exitCode}: ${output.trim()}`);
        const match = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(output);
        return match ? Number(match[1]) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    return { localPort, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

/** Removes an image from the cluster's containerd (one already gone is no error). */
export function removeImage(cluster: KubeCluster, ref: string): void {
  const images = ctr(cluster, ['images', 'list', '-q']).split('\n');
  if (images.includes(ref)) ctr(cluster, ['images', 'rm', ref]);
}

/** containerd's own client, on the cluster's socket and the kubelet's namespace. */
function ctr(cluster: KubeCluster, args: string[]): string {
  const address = path.join(cluster.dir, 'containerd', 'containerd.sock');
  return execFileSync(path.join(cluster.bin, 'ctr'), ['--address', address, '-n', 'k8s.io', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}
