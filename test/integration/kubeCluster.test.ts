/**
 * The Kubernetes cluster the tests run against can do what hot reload into a pod will need: a
 * Deployment (not a bare pod: Deployment → ReplicaSet → Pod, through the scheduler) of a FROM
 * scratch image holding one static Go server runs and answers on loopback (hostNetwork);
 * `kubectl exec -i` carries stdin and stdout byte for byte through a binary in the image (there
 * is no shell); a binary streamed in through exec's stdin lands and runs (how the product will
 * ship builds, without `kubectl cp`, which needs tar in the image); `kubectl port-forward` serves
 * it; patching the Deployment's command rolls a new pod; deleting the pod brings a new one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/examples';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import {
  applyManifest,
  kubeMissing,
  kubectl,
  kubectlSync,
  loadImage,
  portForward,
  removeImage,
  scratchImageTar,
  skipUnlessKube,
  useKubeCluster,
  waitForDeploymentPod,
  type KubeCluster,
} from '../support/kube';
import { kubeappDeployment } from '../support/kubeApp';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

const missing = skipUnlessKube(kubeMissing());

describe('kubernetes: a Deployment of a FROM scratch image', { skip: missing, timeout: 10 * 60_000 }, () => {
  const namespace = `hr-smoke-${crypto.randomBytes(3).toString('hex')}`;
  const image = `hotreload.invalid/kubeapp:${namespace}`;
  const deployment = { namespace, name: 'kubeapp' };
  let cluster: KubeCluster;
  let work: string;
  let binary: string;
  let port: number;
  let pod: string;

  before(async () => {
    cluster = useKubeCluster();
    work = tempDir('hr-kubeapp-');
    binary = path.join(work, 'kubeapp');
    execFileSync('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', binary, '.'], {
      cwd: path.join(repoRoot, 'test', 'fixtures', 'kubeapp'),
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const tar = scratchImageTar({ binary, ref: image });
    loadImage(cluster, tar);
    fs.rmSync(path.dirname(tar), { recursive: true });
    port = await freePort();
    applyManifest(
      cluster,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      kubeappDeployment({ namespace, name: 'kubeapp', image, port, liveness: false }),
    );
    pod = await waitForDeploymentPod(cluster, deployment);
  });

  after(() => {
    if (!cluster) return;
    try {
      kubectlSync(cluster, ['delete', 'namespace', namespace, '--ignore-not-found', '--wait', '--timeout', '120s']);
      removeImage(cluster, image);
    } finally {
      cluster.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  test('its pod runs, scheduled onto the node by a ReplicaSet, and answers on loopback', async () => {
    const owner = kubectlSync(cluster, ['get', 'pod', pod, '-n', namespace, '-o', 'jsonpath={.metadata.ownerReferences[0].kind} {.spec.nodeName}']);
    assert.equal(owner, 'ReplicaSet localhost');
    assert.match((await httpGet(port)).body, /^hello v1 from pid \d+$/);
  });

  test('kubectl exec -i carries stdin to a binary in the image and its stdout back, byte for byte', async (t) => {
    await assert.rejects(kubectl(cluster, ['exec', '-n', namespace, pod, '--', '/bin/sh', '-c', 'true']), /exit/, 'the image has no shell');
    const payload = crypto.randomBytes(256 * 1024);
    const started = performance.now();
    const { stdout } = await kubectl(cluster, ['exec', '-i', '-n', namespace, pod, '--', '/kubeapp', 'cat'], { input: payload });
    t.diagnostic(`256 KiB there and back through kubectl exec -i in ${Math.round(performance.now() - started)} ms`);
    assert.equal(stdout.length, payload.length);
    assert.ok(stdout.equals(payload), 'what came back is what went in');
  });

  test('a binary streamed through exec stdin lands in the pod and runs there', async (t) => {
    const bytes = fs.readFileSync(binary);
    const target = '/hotreload/bin/kubeapp-copy';
    const started = performance.now();
    const received = await kubectl(cluster, ['exec', '-i', '-n', namespace, pod, '--', '/kubeapp', 'receive', target], { input: bytes, timeoutMs: 120_000 });
    t.diagnostic(`${(bytes.length / 1048576).toFixed(1)} MiB streamed in through kubectl exec -i in ${Math.round(performance.now() - started)} ms`);
    assert.equal(received.stdout.toString().trim(), `${bytes.length} ${crypto.createHash('sha256').update(bytes).digest('hex')}`);
    const ran = await kubectl(cluster, ['exec', '-n', namespace, pod, '--', target, 'version']);
    assert.equal(ran.stdout.toString().trim(), 'kubeapp v1');
  });

  test('kubectl port-forward serves it on a local port', async () => {
    const forward = await portForward(cluster, { namespace, target: `pod/${pod}`, remotePort: port });
    try {
      assert.notEqual(forward.localPort, port);
      assert.match((await httpGet(forward.localPort)).body, /^hello v1 from pid \d+$/);
    } finally {
      forward.stop();
    }
  });

  test("patching the Deployment's command rolls a new pod from a new ReplicaSet", async () => {
    const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/command/3', value: 'hello v2' }];
    await kubectl(cluster, ['patch', 'deployment', deployment.name, '-n', namespace, '--type', 'json', '-p', JSON.stringify(patch)]);
    const rolled = await waitForDeploymentPod(cluster, { ...deployment, notNamed: [pod] });
    assert.notEqual(rolled, pod);
    pod = rolled;
    await eventually('the new pod to answer', async () => /^hello v2 from pid \d+$/.test((await httpGet(port)).body), { timeoutMs: 30_000 });
    const sets = kubectlSync(cluster, ['get', 'replicasets', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.spec.replicas}{" "}{end}']);
    assert.deepEqual(sets.trim().split(' ').sort(), ['0', '1'], 'the old ReplicaSet scaled to 0, the new one to 1');
  });

  test('deleting the pod brings a new one that serves', async () => {
    await kubectl(cluster, ['delete', 'pod', pod, '-n', namespace, '--wait=false']);
    const replacement = await waitForDeploymentPod(cluster, { ...deployment, notNamed: [pod] });
    assert.notEqual(replacement, pod);
    pod = replacement;
    await eventually('the replacement to answer', async () => /^hello v2 from pid \d+$/.test((await httpGet(port)).body), { timeoutMs: 30_000 });
  });
});
