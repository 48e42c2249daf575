/**
 * Hot reload into a Kubernetes pod, against the real single-node cluster (test/support/kube.ts): a
 * Deployment of a FROM scratch image (support/kubeApp.ts), put in development mode by the engine
 * through kubectl (the agent as PID 1, copied in by an init container from the agent image the
 * engine writes), the program built here and run there under the supervisor: an edit is a new
 * response, reached through the port-forward the engine keeps; 50 handoffs under load fail no
 * request; a compile error and a panic on start leave the old version serving; a deleted pod is
 * followed to the next; an engine killed outright takes the program with it and the next start
 * puts things right; Stop gives the Deployment its spec back byte for byte with nothing of ours
 * left running on the node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PartialSettings } from '../../src/engine';
import { setGreeting, TestSession } from './harness';
import { copyExampleForBuild, reloadsUnderLoad } from './zeroDowntime';
import { repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { kubeMissing, kubectlSync, skipUnlessKube } from '../support/kube';
import { openKubeApp, processesWith, type KubeApp } from '../support/kubeApp';
import { eventually } from '../support/waiting';

const missing = skipUnlessKube(kubeMissing());

describe('kubernetes target: a Deployment of a FROM scratch image', { skip: missing, timeout: 20 * 60_000 }, () => {
  let app: KubeApp;

  before(async () => {
    app = await openKubeApp('hr-target');
  });

  after(() => app?.close());

  /** A session of `dir` with the Deployment as its target (and `layer`), not started yet. */
  const openOnApp = (dir: string, layer: PartialSettings = {}) =>
    TestSession.open(dir, { ...app.target, ...layer, env: { PORT: String(app.port) } }, { watch: false });

  /** Starts it and waits for v1 to be reported started. */
  async function startFirst(t: TestSession): Promise<void> {
    await t.session.start();
    const first = await t.report(1, 240_000);
    assert.equal(first.outcome, 'started', first.message);
  }

  test('start, an edit is a new response, a compile error and a panic on start keep the old version, Stop restores the Deployment', async () => {
    const { port } = app;
    const dir = copyExampleForBuild('handoff');
    const t = await openOnApp(dir);
    try {
      await startFirst(t);
      assert.equal((await httpGet(port)).body, 'hello, world');
      assert.ok(app.inDevMode(), 'the Deployment is in development mode');
      assert.match(app.spec(), /hotreload-agent/);

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
    await app.restored();
  });

  test('mistakes are errors that say what to do: a Deployment that is not there, an agent image the cluster cannot get (and Stop still restores)', async () => {
    const dir = copyExampleForBuild('handoff');
    const missingOne = await openOnApp(dir, { kubernetes: 'deployment/nope' });
    try {
      await missingOne.session.start();
      const report = await missingOne.report(1, 120_000);
      assert.notEqual(report.outcome, 'started');
      assert.match(JSON.stringify(missingOne.events), new RegExp(`deployment/nope in namespace ${app.namespace}: .*not ?found`, 'i'));
    } finally {
      await missingOne.dispose();
    }

    const noImage = 'hotreload.invalid/no-such-agent:1';
    const t = await openOnApp(dir, { kubeAgentImage: noImage });
    try {
      await t.session.start();
      const report = await t.report(1, 240_000);
      assert.notEqual(report.outcome, 'started');
      const said = JSON.stringify(t.events);
      assert.ok(said.includes(`cannot get Hot Reload's agent image ${noImage}`) && said.includes('hotreload kube-agent-image'), said.slice(-1500));
    } finally {
      await t.dispose();
    }
    await app.restored();
  });

  test("the program gets the container's own arguments unless args are set", async () => {
    const dir = copyExampleForBuild('handoff');
    fs.writeFileSync(
      path.join(dir, 'greeting.go'),
      'package main\n\nimport (\n\t"os"\n\t"strings"\n)\n\nfunc greeting() string { return strings.Join(os.Args[1:], " ") }\n',
    );
    const cases: [{ args?: string[] }, string][] = [
      [{}, `serve 127.0.0.1:${app.port} hello v1`],
      [{ args: ['--mine'] }, '--mine'],
    ];
    for (const [layer, expected] of cases) {
      const t = await openOnApp(dir, layer);
      try {
        await startFirst(t);
        assert.equal((await httpGet(app.port)).body, expected);
      } finally {
        await t.dispose();
      }
    }
    await app.restored();
  });

  test('50 handoffs in the pod under load fail no request', async () => {
    const { load } = await reloadsUnderLoad('handoff', 50, async () => undefined, app.target);
    assert.equal(load?.failed, 0);
    await app.restored();
  });

  test('a deleted pod is followed to the next; the engine SIGKILLed stops the program, and the next start puts the Deployment back at its Stop', async () => {
    const { port, cluster, namespace } = app;
    const dir = copyExampleForBuild('handoff');
    const cli = path.join(repoRoot, 'dist', 'cli.js');
    const engine = spawn(
      process.execPath,
      [cli, '--kube', 'deployment/app', '--kube-namespace', namespace, '--kube-agent-image', app.agentImage, '--env', `PORT=${port}`],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    engine.stderr.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const serves = async (body: string) => (await httpGet(port).catch(() => ({ body: '' }))).body === body;
      await eventually(
        () => `the pod serves (log: ${log.slice(-600)})`,
        () => serves('hello, world'),
        { timeoutMs: 240_000 },
      );
      const names = () => kubectlSync(cluster, ['get', 'pods', '-n', namespace, '-l', 'app=kubeapp', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ');
      const [pod] = names();
      kubectlSync(cluster, ['delete', 'pod', pod, '-n', namespace, '--wait=false']);
      await eventually(
        () => `the deleted pod to be gone (pods: ${names().join(' ')})`,
        () => !names().includes(pod),
        { timeoutMs: 60_000 },
      );
      await eventually(
        () => `the program back in the next pod (log: ${log.slice(-600)})`,
        async () => /is back: starting the program there again/.test(log) && (await serves('hello, world')),
        { timeoutMs: 240_000 },
      );

      engine.kill('SIGKILL');
      const killed = Date.now();
      await eventually('the program in the pod to stop with the engine', async () => !(await serves('hello, world')), { timeoutMs: 15_000, intervalMs: 100 });
      console.log(`# kubernetes: the program stopped ${Date.now() - killed} ms after the engine was SIGKILLed`);
      assert.ok(app.inDevMode(), 'a killed engine leaves the Deployment in development mode, with what it takes to put it back');
      const forwards = () => processesWith(['port-forward', namespace]);
      await eventually(
        () => `no kubectl port-forward of the killed engine left (${forwards().join('; ')})`,
        () => forwards().length === 0,
        { timeoutMs: 10_000 },
      );
    } finally {
      engine.kill('SIGKILL');
    }

    const t = await openOnApp(dir);
    try {
      await startFirst(t);
      assert.equal((await httpGet(port)).body, 'hello, world');
    } finally {
      await t.dispose();
    }
    await app.restored();
  });
});
