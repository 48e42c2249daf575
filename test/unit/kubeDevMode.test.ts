import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AGENT_PATH,
  fromDevMode,
  inDevMode,
  ORIGINAL_SPEC_ANNOTATION,
  podSelector,
  toDevMode,
  type Deployment,
} from '../../src/engine/processes/transports/kube/devMode';

/** A Deployment as the API server returns it: defaults filled in, status and managedFields present. */
function deployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'api',
      namespace: 'shop',
      resourceVersion: '812',
      annotations: { 'deployment.kubernetes.io/revision': '3' },
      managedFields: [{ manager: 'kubectl' }],
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api', tier: 'backend' } },
      template: {
        metadata: { labels: { app: 'api', tier: 'backend' } },
        spec: {
          containers: [
            { name: 'sidecar', image: 'envoy' },
            {
              name: 'app',
              image: 'registry.example/api:9',
              command: ['/api'],
              args: ['--port', '8080'],
              livenessProbe: { httpGet: { path: '/live', port: 8080 } },
              startupProbe: { httpGet: { path: '/start', port: 8080 } },
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/api' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'api' } }],
        },
      },
    },
    status: { readyReplicas: 3 },
  } as Deployment;
}

test('kubernetes development mode: the agent is PID 1 from an emptyDir an init container fills; one replica; probes that kill are dropped, readiness stays', () => {
  const original = deployment();
  const dev = toDevMode(original, { container: 'app', agentImage: 'agents.example/hotreload:1' });
  const pod = dev.spec.template.spec;
  const app = pod.containers[1];
  assert.deepEqual(app.command, [AGENT_PATH, 'hold', '--', '/api', '--port', '8080']);
  assert.equal(app.args, undefined);
  assert.equal(app.livenessProbe, undefined);
  assert.equal(app.startupProbe, undefined);
  assert.deepEqual(app.readinessProbe, { httpGet: { path: '/ready', port: 8080 } });
  assert.deepEqual(app.volumeMounts, [
    { name: 'config', mountPath: '/etc/api' },
    { name: 'hotreload-agent', mountPath: '/.hotreload' },
  ]);
  assert.deepEqual(pod.containers[0], { name: 'sidecar', image: 'envoy' }, 'the other containers are left alone');
  assert.deepEqual(pod.initContainers, [
    {
      name: 'hotreload-agent',
      image: 'agents.example/hotreload:1',
      imagePullPolicy: 'IfNotPresent',
      command: ['/hotreload-supervisor', 'install', AGENT_PATH],
      volumeMounts: [{ name: 'hotreload-agent', mountPath: '/.hotreload' }],
    },
  ]);
  assert.deepEqual(pod.volumes?.at(-1), { name: 'hotreload-agent', emptyDir: {} });
  assert.equal(dev.spec.replicas, 1);
  assert.equal(dev.metadata.resourceVersion, '812', 'the replace is guarded by the version it was made from');
  assert.equal(dev.status, undefined);
  assert.equal(dev.metadata.managedFields, undefined);
  assert.ok(inDevMode(dev));
  assert.deepEqual(original, deployment(), 'the object read is not changed');
  assert.equal(toDevMode(dev, { container: 'app' }), dev, 'already in development mode (a killed engine left it so): kept as it is');
});

test('kubernetes development mode: going back gives the spec as it was, byte for byte, and drops only our annotation', () => {
  const original = deployment();
  const back = fromDevMode(toDevMode(original, { container: 'app' }));
  assert.equal(JSON.stringify(back.spec), JSON.stringify(original.spec));
  assert.deepEqual(back.metadata.annotations, { 'deployment.kubernetes.io/revision': '3' });
  assert.ok(!inDevMode(back));
  assert.equal(fromDevMode(original).spec, original.spec, 'not in development mode: nothing to undo');
  assert.ok(!(ORIGINAL_SPEC_ANNOTATION in (back.metadata.annotations ?? {})));
});

test('kubernetes development mode: the first container by default; a container that is not there is named with the ones that are', () => {
  assert.deepEqual(toDevMode(deployment(), {}).spec.template.spec.containers[0].command, [AGENT_PATH, 'hold', '--']);
  assert.throws(() => toDevMode(deployment(), { container: 'web' }), /deployment\/api has no container web \(it has sidecar, app\): set kubeContainer/);
  assert.equal(podSelector(deployment()), 'app=api,tier=backend');
});
