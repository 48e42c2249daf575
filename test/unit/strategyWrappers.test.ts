/**
 * The strategies that wrap another (auto once it has chosen, handoff's detection, browser reload's
 * front) forward the whole RunStrategy: a strategy inside with every member set is reached, member
 * by member, through each of them. Its type is Required<RunStrategy>, so a member added to the
 * interface must be set here, and is then checked through every wrapper.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { PageHub } from '../../src/engine/browser/hub';
import { BrowserPages } from '../../src/engine/browser/pages';
import { Stylesheets } from '../../src/engine/browser/stylesheets';
import type { Detection } from '../../src/engine/languages';
import { defaultSettings } from '../../src/engine/settings/defaults';
import { AutoStrategy, DetectingStrategy } from '../../src/engine/strategies/auto';
import { BrowserFront } from '../../src/engine/strategies/browserFront';
import type { RunStrategy } from '../../src/engine/strategies/strategy';
import { FakeProgram } from '../support/fakeParts';
import { tempDir } from '../support/files';

type Member = keyof RunStrategy;

/** A strategy with every member set; `calls` records which of its functions were called. */
function everything(): { inner: Required<RunStrategy>; calls: Member[] } {
  const calls: Member[] = [];
  const inner: Required<RunStrategy> = {
    name: 'patch',
    address: { host: '127.0.0.1', port: 1 },
    inPlace: { plan: () => ({ fallback: 'never' }), apply: () => Promise.resolve({ kind: 'cancelled' }), cleanRestartReason: () => undefined },
    prepare: () => {
      calls.push('prepare');
      return Promise.resolve({ kind: 'ok', bind: () => undefined });
    },
    startNotes: () => {
      calls.push('startNotes');
      return [{ level: 'info', message: 'from inside' }];
    },
    deploy: (artifact) => {
      calls.push('deploy');
      // A version that is gone at once: browser reload's front then waits for nothing.
      const program = new FakeProgram(artifact.version);
      program.die(0);
      return Promise.resolve({ ok: true, program, outcome: 'started', stopMs: 0, startMs: 0 });
    },
    dispose: () => {
      calls.push('dispose');
      return Promise.resolve();
    },
  };
  return { inner, calls };
}

const artifact = { version: 1, path: '/nonexistent', builtAt: 0 };

/** Calls a function member through `wrapper` with arguments it takes. */
function call(wrapper: RunStrategy, member: Member): unknown {
  if (member === 'deploy') return wrapper.deploy(artifact, undefined);
  if (member === 'prepare') return wrapper.prepare?.(new AbortController().signal);
  if (member === 'startNotes') return wrapper.startNotes?.();
  if (member === 'dispose') return wrapper.dispose();
  throw new Error(`${member}: no way to call it in this test yet`);
}

/** Every member of `inner` is reached through `wrapper`, but those the wrapper makes its own (`own`, with why). */
async function reachesEverything(
  wrapper: RunStrategy,
  inner: Required<RunStrategy>,
  calls: Member[],
  own: Partial<Record<Member, string>> = {},
): Promise<void> {
  // dispose last: the wrapper is gone after it.
  const members = (Object.keys(inner) as Member[]).sort((a, b) => Number(a === 'dispose') - Number(b === 'dispose'));
  for (const member of members) {
    if (own[member]) continue;
    const expected: unknown = Reflect.get(inner, member);
    const through: unknown = Reflect.get(wrapper, member);
    if (typeof expected === 'function') {
      assert.equal(typeof through, 'function', `${member} is dropped`);
      calls.length = 0;
      await call(wrapper, member);
      assert.ok(calls.includes(member), `${member} does not reach the strategy inside`);
    } else {
      assert.equal(through, expected, `${member} is not the strategy inside's`);
    }
  }
}

test('handoff detection forwards every member of the strategy inside', async () => {
  const { inner, calls } = everything();
  const detection = new AbortController();
  await reachesEverything(new DetectingStrategy(inner, detection), inner, calls);
  assert.equal(detection.signal.aborted, true, 'its detection stops with it');
});

test('auto, once it has chosen, forwards every member of the chosen strategy', async () => {
  const { inner, calls } = everything();
  const controller = new AbortController();
  const auto = new AutoStrategy(Promise.resolve({} as Detection), controller, () => ({ strategy: inner, why: 'the test chose it' }));
  await auto.deploy(artifact, undefined); // the choice is made by the first deploy at the latest
  await reachesEverything(auto, inner, calls);
  assert.equal(controller.signal.aborted, true);
});

test('auto, before it has chosen, has nothing to forward', () => {
  const auto = new AutoStrategy(new Promise<Detection>(() => undefined), new AbortController(), () => {
    throw new Error('not chosen yet');
  });
  assert.equal(auto.name, 'restart');
  assert.equal(auto.inPlace, undefined);
  assert.equal(auto.prepare, undefined);
  assert.equal(auto.startNotes, undefined);
  assert.equal(auto.address, undefined);
});

test('browser reload’s front forwards every member of the strategy behind it, but the address pages open', async () => {
  const { inner, calls } = everything();
  const root = tempDir('hr-wrap-');
  const settings = { ...defaultSettings(root), listenAddress: '127.0.0.1:0', readyTimeoutMs: 5000 };
  fs.mkdirSync(settings.workDir, { recursive: true });
  const front = new BrowserFront(inner, { settings, pages: new BrowserPages(new PageHub(), new Stylesheets()), log: () => undefined });
  try {
    await reachesEverything(front, inner, calls, { address: 'pages open on the front’s own port' });
    assert.ok(front.address && front.address.port !== inner.address.port, 'the front’s own address, once it listens');
  } finally {
    for (const dir of [settings.workDir, root]) fs.rmSync(dir, { recursive: true, force: true });
  }
});
