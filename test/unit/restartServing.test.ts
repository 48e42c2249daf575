/**
 * The restart strategy reports a version once it serves: a program that accepted connections on
 * its address before is waited for until the new version does (or exits, or the ready timeout
 * passes); one that never listened there is reported as soon as it runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { SupervisedProgram } from '../../src/engine/processes/program';
import { probeTcp } from '../../src/engine/strategies/probes';
import { RestartStrategy } from '../../src/engine/strategies/restart';
import { FakeProgram } from '../support/fakeParts';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

/** A version that listens on `port` once `listen()` is called, and stops listening when stopped. */
class ListeningProgram extends FakeProgram {
  private server: net.Server | undefined;
  constructor(
    version: number,
    private readonly port: number,
  ) {
    super(version);
    void this.exited.then(() => this.server?.close());
  }
  listen(): Promise<void> {
    this.server = net.createServer((socket) => socket.destroy());
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
  }
}

function strategyOn(port: number, launched: ListeningProgram[], readyTimeoutMs = 10_000): RestartStrategy {
  const settings = { stopSignal: 'SIGTERM' as const, gracePeriodMs: 100, appPort: port, env: {}, readyTimeoutMs };
  const launch = (artifact: { version: number }) => {
    const program = new ListeningProgram(artifact.version, port);
    launched.push(program);
    return Promise.resolve(program as unknown as SupervisedProgram);
  };
  return new RestartStrategy({ settings, launch, local: true });
}

const artifact = (version: number) => ({ version, path: '/nonexistent', builtAt: 0 });

test('restart: once a version has listened, the next is reported when it accepts connections, not when it runs', async () => {
  const port = await freePort();
  const launched: ListeningProgram[] = [];
  const strategy = strategyOn(port, launched);
  try {
    const first = await strategy.deploy(artifact(1), undefined);
    assert.ok(first.ok);
    assert.equal(await probeTcp(port), false, 'the first version is reported as it runs: nothing was learnt yet');
    await launched[0].listen();
    await eventually('the strategy learns that the program listens', () => strategy.waitsForServing || undefined);

    let listenedAt = 0;
    const deployed = strategy.deploy(artifact(2), launched[0]);
    // The new version listens a while after it starts, as a program that opens its database first.
    await eventually('v2 started', () => launched[1] ?? undefined);
    const late = new Promise<void>((resolve) => setTimeout(() => void launched[1].listen().then(() => ((listenedAt = Date.now()), resolve())), 300));
    const second = await deployed;
    const reportedAt = Date.now();
    assert.ok(second.ok && second.outcome === 'restarted');
    await late;
    assert.ok(listenedAt > 0 && listenedAt <= reportedAt, 'v2 was reported only after it listened');
    assert.equal(await probeTcp(port), true, 'and it accepts a connection the moment it is reported');
    assert.equal(second.note, undefined);
  } finally {
    for (const p of launched) p.die(0);
    await strategy.dispose();
  }
});

test('restart: a version that no longer listens is reported at the ready timeout with why; one that exits at once is not waited for', async () => {
  const port = await freePort();
  const launched: ListeningProgram[] = [];
  const strategy = strategyOn(port, launched, 300);
  try {
    await strategy.deploy(artifact(1), undefined);
    await launched[0].listen();
    await eventually('learnt', () => strategy.waitsForServing || undefined);
    const silent = await strategy.deploy(artifact(2), launched[0]);
    assert.ok(silent.ok);
    assert.match(silent.note ?? '', /v2 did not accept connections on port \d+ within 300 ms/);
    assert.equal(strategy.waitsForServing, false, 'what was learnt is forgotten');

    await launched[1].listen();
    await eventually('learnt again', () => strategy.waitsForServing || undefined);
    const crashing = strategy.deploy(artifact(3), launched[1]);
    await eventually('v3 started', () => launched[2] ?? undefined);
    launched[2].die(2, 'panic: boom\n');
    const crashed = await crashing;
    assert.ok(crashed.ok, 'its crash is the session’s to report, as before');
    assert.equal(crashed.note, undefined);
  } finally {
    for (const p of launched) p.die(0);
    await strategy.dispose();
  }
});
