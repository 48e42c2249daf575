/**
 * Hot reload into a Kubernetes pod, against the real single-node cluster (test/support/kube.ts): a
 * Deployment of a FROM scratch image, put in development mode by the engine through kubectl (the
 * agent as PID 1, copied in by an init container from the agent image the engine writes), the
 * program built here and run there under the supervisor: an edit is a new response, 50 handoffs
 * under load fail no request, a compile error and a panic on start leave the old version serving,
 * a deleted pod is followed to the next, an engine killed outright takes the program with it and
 * the next start puts things right, and Stop gives the Deployment its spec back byte for byte with
 * nothing of ours left running on the node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentImageArchive } from '../../src/engine/processes/transports/kube/agentImage';
import { ORIGINAL_SPEC_ANNOTATION } from '../../src/engine/processes/transports/kube/devMode';
import { findSupervisor, platformOf } from '../../src/engine/processes/supervisor/binary';
import { setGreeting, TestSession } from './harness';
import { copyExampleForBuild, reloadsUnderLoad } from './zeroDowntime';
import { repoRoot } from '../support/examples';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import {
  applyManifest,
  kubeMissing,
  kubectlSync,
  loadImage,
  removeImage,
  scratchImageTar,
  skipUnlessKube,
  useKubeCluster,
  waitForDeploymentPod,
  type KubeCluster,
} from '../support/kube';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

const missing = skipUnlessKube(kubeMissing());

/** Processes on this machine (the node) running something of ours from a pod's agent folder. */
function oursOnTheNode(): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (cmdline.includes('/.hotreload/')) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('kubernetes target: a Deployment of a FROM scratch image', { skip: missing, timeout: 20 * 60_000 }, () => {
  const namespace = `hr-target-${crypto.randomBytes(3).toString('hex')}`;
  const appImage = `hotreload.invalid/kubeapp:${namespace}`;
  const agentImage = `hotreload.invalid/agent:${namespace}`;
  const env = { KUBECONFIG: process.env.KUBECONFIG, PATH: process.env.PATH };
  let cluster: KubeCluster;
  let work: string;
  let port: number;
  let originalSpec: string;
  const target = () => ({ kubernetes: 'deployment/app', kubeNamespace: namespace, kubeAgentImage: agentImage });
  const spec = () => kubectlSync(cluster, ['get', 'deployment', 'app', '-n', namespace, '-o', 'jsonpath={.spec}']);
  const annotations = () =>
    JSON.parse(kubectlSync(cluster, ['get', 'deployment', 'app', '-n', namespace, '-o', 'jsonpath={.metadata.annotations}']) || '{}') as Record<string, string>;

  /** The Deployment is as it was, and its own program serves again. */
  async function restored(): Promise<void> {
    assert.equal(spec(), originalSpec, 'Stop gave the Deployment its spec back byte for byte');
    assert.ok(!(ORIGINAL_SPEC_ANNOTATION in annotations()), 'our annotation is gone');
    await eventually('the original program to serve again', async () => /^hello v1 from pid \d+$/.test((await httpGet(port).catch(() => ({ body: '' }))).body), {
      timeoutMs: 120_000,
    });
    await eventually(() => `nothing of ours left on the node: ${oursOnTheNode().join('; ')}`, () => oursOnTheNode().length === 0, { timeoutMs: 30_000 });
  }

  before(async () => {
    cluster = useKubeCluster();
    process.env.KUBECONFIG = cluster.kubeconfig;
    process.env.PATH = `${cluster.bin}${path.delimiter}${process.env.PATH}`;
    work = tempDir('hr-kubetarget-');
    const binary = path.join(work, 'kubeapp');
    execFileSync('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', binary, '.'], {
      cwd: path.join(repoRoot, 'test', 'fixtures', 'kubeapp'),
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    loadImage(cluster, scratchImageTar({ binary, ref: appImage }));
    // The agent image as users get it: written by the engine (hotreload kube-agent-image).
    const agentTar = path.join(work, 'agent.tar');
    const supervisor = await findSupervisor(platformOf('linux', 'amd64'));
    fs.writeFileSync(agentTar, agentImageArchive({ supervisor, ref: agentImage, goos: 'linux', goarch: 'amd64' }));
    loadImage(cluster, agentTar);
    port = await freePort();
    applyManifest(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, appDeployment(namespace, appImage, port));
    await waitForDeploymentPod(cluster, { namespace, name: 'app' });
    originalSpec = spec();
  });

  after(() => {
    Object.assign(process.env, env);
    if (!cluster) return;
    try {
      kubectlSync(cluster, ['delete', 'namespace', namespace, '--ignore-not-found', '--wait', '--timeout', '120s']);
      removeImage(cluster, appImage);
      removeImage(cluster, agentImage);
    } finally {
      cluster.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  test('start, an edit is a new response, a compile error and a panic on start keep the old version, Stop restores the Deployment', async () => {
    const dir = copyExampleForBuild('handoff');
    const t = await TestSession.open(dir, { ...target(), env: { PORT: String(port) } }, { watch: false });
    try {
      await t.session.start();
      const first = await t.report(1, 240_000);
      assert.equal(first.outcome, 'started', first.message);
      assert.equal((await httpGet(port)).body, 'hello, world');
      assert.ok(ORIGINAL_SPEC_ANNOTATION in annotations(), 'the Deployment is in development mode');
      assert.match(spec(), /hotreload-agent/);

      const greeting = path.join(dir, 'greeting.go');
      fs.writeFileSync(greeting, 'package main\n\nfunc greeting() string {\n\treturn "unfinished\n}\n');
      void t.session.notifySaved([greeting]);
      const broken = await t.report(2, 120_000);
      assert.equal(broken.outcome, 'build-failed');
      assert.equal((await httpGet(port)).body, 'hello, world', 'the pod still serves v1');

      fs.writeFileSync(greeting, 'package main\n\nfunc init() {\n\tvar m map[string]int\n\tm["boom"] = 1\n}\n\nfunc greeting() string { return "never" }\n');
      void t.session.notifySaved([greeting]);
      const panicked = await t.report(3, 120_000);
      assert.equal(panicked.outcome, 'rolled-back', panicked.message);
      const diagnostics = t.lastDiagnostics();
      assert.equal(diagnostics[0]?.file, greeting, 'the panic points at the local file');
      assert.equal(diagnostics[0]?.line, 5);
      assert.equal((await httpGet(port)).body, 'hello, world', 'v1 serves again');

      setGreeting(dir, 'hello from the pod');
      void t.session.notifySaved([greeting]);
      assert.equal((await t.report(4, 120_000)).outcome, 'handed-off');
      assert.equal((await httpGet(port)).body, 'hello from the pod');

      // The address the status bar shows is a port-forward the engine keeps to the pod.
      const url = new URL(t.session.url ?? 'http://none');
      assert.equal(url.hostname, '127.0.0.1', t.session.url);
      assert.notEqual(Number(url.port), port, 'a local port of its own, not the pod’s');
      assert.equal((await httpGet(Number(url.port))).body, 'hello from the pod', 'the forwarded address serves the program');
    } finally {
      await t.dispose();
    }
    await restored();
  });

  test('50 handoffs in the pod under load fail no request', async () => {
    const { load } = await reloadsUnderLoad('handoff', 50, async () => undefined, target());
    assert.equal(load?.failed, 0);
    await restored();
  });

  test('a deleted pod is followed to the next; the engine SIGKILLed stops the program, and the next start puts the Deployment back at its Stop', async () => {
    const dir = copyExampleForBuild('handoff');
    const cli = path.join(repoRoot, 'dist', 'cli.js');
    const engine = spawn(
      process.execPath,
      [cli, '--kube', 'deployment/app', '--kube-namespace', namespace, '--kube-agent-image', agentImage, '--env', `PORT=${port}`],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    engine.stderr.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const serves = async (body: string) => (await httpGet(port).catch(() => ({ body: '' }))).body === body;
      await eventually(() => `the pod serves (log: ${log.slice(-600)})`, () => serves('hello, world'), { timeoutMs: 240_000 });
      const pod = kubectlSync(cluster, ['get', 'pods', '-n', namespace, '-l', 'app=kubeapp', '-o', 'jsonpath={.items[0].metadata.name}']);
      kubectlSync(cluster, ['delete', 'pod', pod, '-n', namespace, '--wait=false']);
      const names = () => kubectlSync(cluster, ['get', 'pods', '-n', namespace, '-l', 'app=kubeapp', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ');
      await eventually(() => `the deleted pod to be gone (pods: ${names().join(' ')})`, () => !names().includes(pod), { timeoutMs: 60_000 });
      await eventually(
        () => `the program back in the next pod (log: ${log.slice(-600)})`,
        async () => /is back: starting the program there again/.test(log) && (await serves('hello, world')),
        { timeoutMs: 240_000 },
      );

      engine.kill('SIGKILL');
      const killed = Date.now();
      await eventually('the program in the pod to stop with the engine', async () => !(await serves('hello, world')), { timeoutMs: 15_000, intervalMs: 100 });
      console.log(`# kubernetes: the program stopped ${Date.now() - killed} ms after the engine was SIGKILLed`);
      assert.ok(ORIGINAL_SPEC_ANNOTATION in annotations(), 'a killed engine leaves the Deployment in development mode, with what it takes to put it back');
    } finally {
      engine.kill('SIGKILL');
    }

    const t = await TestSession.open(dir, { ...target(), env: { PORT: String(port) } }, { watch: false });
    try {
      await t.session.start();
      const first = await t.report(1, 240_000);
      assert.equal(first.outcome, 'started', first.message);
      assert.equal((await httpGet(port)).body, 'hello, world');
    } finally {
      await t.dispose();
    }
    await restored();
  });
});

/** One replica of the kubeapp server on the node's network at 127.0.0.1:`port`, with the probes a real service has. */
function appDeployment(namespace: string, image: string, port: number): Record<string, unknown> {
  const labels = { app: 'kubeapp' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace },
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
              livenessProbe: { tcpSocket: { host: '127.0.0.1', port }, periodSeconds: 2, failureThreshold: 2 },
            },
          ],
        },
      },
    },
  };
}
