import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession, type TestSession } from './harness';
import type { PartialSettings } from '../../src/engine';
import { copyExampleForBuild } from './zeroDowntime';
import { httpGet } from '../support/http';
import { Load } from '../support/load';
import { eventually } from '../support/waiting';

function writeRules(dir: string, version: string, points: number, extra = ''): void {
  const file = path.join(dir, 'rules', 'rules.go');
  let text = fs.readFileSync(file, 'utf8');
  text = text
    .replace(/return "rules v[^"]*"/, `return "${version}"`)
    .replace(/if action == "score" \{\n\t\treturn \d+/, `if action == "score" {\n\t\treturn ${points}`);
  fs.writeFileSync(file, text + extra);
}

async function act(port: number, player: string, action: string): Promise<{ score: number; x: number }> {
  const r = await httpGet(port, `/act?player=${player}&action=${action}`);
  return JSON.parse(r.body) as { score: number; x: number };
}

interface WorldState {
  players: Record<string, { score: number; x: number; y: number }>;
  counters: Record<string, number>;
}

/** The game example under the patch strategy, started and answering; `pid` serves v1. */
async function startGame(layer: PartialSettings = {}): Promise<{ dir: string; port: number; t: TestSession; pid: number }> {
  const dir = copyExampleForBuild('game');
  const { t, port, first } = await startSession(dir, { strategy: 'patch', ...layer });
  try {
    assert.equal(first.outcome, 'started');
    await eventually('v1 answers', () => httpGet(port));
    return { dir, port, t, pid: Number((await httpGet(port, '/pid')).body) };
  } catch (err) {
    await t.dispose();
    throw err;
  }
}

test('50 live patches under load keep every piece of state, serve the new rule each time and fail no request', async () => {
  const { dir, port, t, pid } = await startGame({ patchLimit: 100 });
  try {
    assert.equal((await httpGet(port)).body, 'rules v1');

    // The state the patches must not lose: two players, moves and counters.
    const expected: WorldState = { players: { alice: { score: 0, x: 0, y: 0 }, bob: { score: 0, x: 0, y: 0 } }, counters: {} };
    const apply = (player: string, action: string, points: number) => {
      const p = expected.players[player];
      if (action === 'right') p.x = (p.x + 1) % 16;
      p.score += action === 'score' ? points : 0;
      expected.counters[action] = (expected.counters[action] ?? 0) + 1;
    };
    await act(port, 'alice', 'score');
    apply('alice', 'score', 1);
    await act(port, 'bob', 'right');
    apply('bob', 'right', 1);

    const load = new Load(port, { fresh: 2, keepAlive: 2, pauseMs: 5, path: '/pid' });
    for (let i = 2; i <= 51; i++) {
      writeRules(dir, `rules v${i}`, i);
      const report = await t.report(i);
      assert.equal(report.outcome, 'patched', `patch ${i}: ${report.outcome} ${report.message ?? ''}`);
      assert.equal((await httpGet(port)).body, `rules v${i}`, `patch ${i} serves the new rule`);
      const alice = await act(port, 'alice', 'score');
      apply('alice', 'score', i);
      assert.equal(alice.score, expected.players.alice.score, `patch ${i}: alice's score follows the new rule`);
      await act(port, 'bob', 'right');
      apply('bob', 'right', i);
      const world = JSON.parse((await httpGet(port, '/world')).body) as WorldState;
      for (const name of ['alice', 'bob']) {
        assert.equal(world.players[name].score, expected.players[name].score, `patch ${i}: ${name}.score`);
        assert.equal(world.players[name].x, expected.players[name].x, `patch ${i}: ${name}.x`);
        assert.equal(world.players[name].y, expected.players[name].y, `patch ${i}: ${name}.y`);
      }
      assert.deepEqual(world.counters, expected.counters, `patch ${i}: counters`);
    }
    const result = await load.stop();
    assert.equal(result.failed, 0, `failed requests: ${result.errors.slice(0, 5).join('; ')}`);
    assert.ok(result.ok > 100, `requests served: ${result.ok}`);
    assert.deepEqual([...result.pids], [pid], 'one process served throughout');
  } finally {
    await t.dispose();
  }
});

test('a change to a shared package falls back to a handoff with zero failed requests, and says why', async () => {
  const { dir, port, t, pid } = await startGame();
  try {
    const load = new Load(port, { fresh: 2, keepAlive: 2, pauseMs: 5, path: '/pid' });
    const worldFile = path.join(dir, 'world', 'world.go');
    fs.writeFileSync(
      worldFile,
      fs.readFileSync(worldFile, 'utf8').replace('New(width, height int) *World {', 'New(width, height int) *World {\n\t// a change to the shape of the world'),
    );
    const report = await t.report(2);
    assert.equal(report.outcome, 'handed-off', `${report.outcome}: ${report.message}`);
    assert.match(report.message ?? '', /not patched: world[/\\]world\.go is outside the plugin folders/);
    await eventually('a new process serves', async () => Number((await httpGet(port, '/pid')).body) !== pid);
    const result = await load.stop();
    assert.equal(result.failed, 0, `failed requests: ${result.errors.slice(0, 5).join('; ')}`);
    assert.equal((await httpGet(port)).body, 'rules v1', 'the new process loaded the plugin at start');
  } finally {
    await t.dispose();
  }
});

test('an incompatible plugin is refused by the process, which keeps serving, and the engine says why', async () => {
  const { dir, port, t, pid } = await startGame();
  try {
    await act(port, 'alice', 'score');
    // The entry point returns something that is not a world.Rules.
    const file = path.join(dir, 'rules', 'rules.go');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('func HotReloadV1() any { return rules{} }', 'func HotReloadV1() any { return "not rules" }'));
    const report = await t.report(2);
    assert.notEqual(report.outcome, 'patched');
    assert.match(report.message ?? '', /not patched: plugin rules failed to load: .*world\.Rules/s);
    // The fallback's new version loads the same plugin at start and fails; the old process serves on.
    assert.equal(Number((await httpGet(port, '/pid')).body), pid);
    assert.equal((await httpGet(port)).body, 'rules v1');
    const world = JSON.parse((await httpGet(port, '/world')).body) as WorldState;
    assert.equal(world.players.alice.score, 1, 'state intact');
  } finally {
    await t.dispose();
  }
});

test('the patch cap triggers a clean handoff restart', async () => {
  const { dir, port, t, pid } = await startGame({ patchLimit: 3 });
  try {
    for (let i = 2; i <= 4; i++) {
      writeRules(dir, `rules v${i}`, i);
      assert.equal((await t.report(i)).outcome, 'patched');
    }
    const clean = await t.report(5);
    assert.equal(clean.outcome, 'handed-off');
    assert.equal(clean.trigger, 'manual');
    assert.ok(t.events.some((e) => e.type === 'log' && /3 patches loaded \(patchLimit 3\)/.test(e.message)));
    const newPid = await eventually('a fresh process', async () => {
      const p = Number((await httpGet(port, '/pid')).body);
      return p !== pid ? p : undefined;
    });
    assert.ok(newPid > 0);
    assert.equal((await httpGet(port)).body, 'rules v4', 'the fresh process runs the latest rules');
  } finally {
    await t.dispose();
  }
});

test('without plugin support (cgo off) the engine says so and every change gets a handoff', async () => {
  const { dir, port, t, pid } = await startGame({ buildEnv: { CGO_ENABLED: '0' } });
  try {
    assert.ok(t.events.some((e) => e.type === 'log' && e.level === 'warn' && /Go plugins need cgo, and CGO_ENABLED is 0/.test(e.message)));
    writeRules(dir, 'rules v2', 2);
    const report = await t.report(2);
    assert.equal(report.outcome, 'handed-off');
    assert.match(report.message ?? '', /not patched: Go plugins need cgo/);
    await eventually('a new process serves', async () => Number((await httpGet(port, '/pid')).body) !== pid);
  } finally {
    await t.dispose();
  }
});
