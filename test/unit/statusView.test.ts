import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duration, statusView } from '../../src/client/statusView';

test('off: a start button; the click toggles', () => {
  const v = statusView({ state: 'off', errorCount: 0 });
  assert.equal(v.text, '$(debug-start) Hot Reload');
  assert.equal(v.command, 'hotReload.toggle');
  assert.equal(v.background, 'none');
});

test('building spins and says which version still serves', () => {
  const v = statusView({ state: 'building', errorCount: 0, version: 3 });
  assert.match(v.text, /^\$\(sync~spin\)/);
  assert.match(v.text, /v3 serving/);
});

test('running says what the last reload was and how long it took, not a bare clock time; links in the tooltip', () => {
  const at = new Date(2026, 10, 21, 14, 2, 11).getTime();
  const v = statusView(
    { state: 'running', errorCount: 0, version: 7, pid: 42, lastReloadAt: at, lastReloadMs: 1234, lastOutcome: 'restarted', strategy: 'restart' },
    new Date(at + 5000),
  );
  assert.equal(v.text, '$(zap) v7 · reloaded in 1.2 s');
  assert.match(v.tooltip, /pid 42/);
  assert.match(v.tooltip, /Reloaded just now \(at 14:02:11\), took 1\.2 s\./);
  for (const link of ['hotReload.restart', 'hotReload.stop', 'hotReload.showOutput', 'hotReload.showChanges', 'hotReload.openSettings']) {
    assert.ok(v.tooltip.includes(`(command:${link})`), link);
  }
});

test('the relative time in the tooltip follows the clock it is rendered at, in steps (each step re-renders an open tooltip)', () => {
  const at = new Date(2026, 10, 21, 14, 2, 11).getTime();
  const s = { state: 'running', errorCount: 0, version: 3, lastReloadAt: at, lastReloadMs: 80, lastOutcome: 'started' } as const;
  assert.match(statusView(s, new Date(at + 2_000)).tooltip, /Started just now/);
  assert.match(statusView(s, new Date(at + 29_000)).tooltip, /Started 20 s ago/);
  assert.equal(statusView(s, new Date(at + 21_000)).tooltip, statusView(s, new Date(at + 29_999)).tooltip, 'nothing changes within a step');
  assert.match(statusView(s, new Date(at + 3 * 60_000)).tooltip, /Started 3 min ago/);
  assert.match(statusView(s, new Date(at + 125 * 60_000)).tooltip, /Started 2 h 5 min ago \(at 14:02:11\)/);
  assert.equal(statusView(s, new Date(at + 3 * 60_000)).text, '$(zap) v3 · started in 80 ms', 'the text stays true without re-rendering');
});

test('durations read naturally', () => {
  assert.deepEqual([80, 1234, 14_400, 125_000].map(duration), ['80 ms', '1.2 s', '14 s', '2 min 5 s']);
});

test('the tooltip names the strategy and links the address the program serves on', () => {
  const url = 'http://localhost:41523/';
  const v = statusView({ state: 'running', errorCount: 0, version: 2, strategy: 'handoff', url, lastReloadAt: Date.now() });
  assert.match(v.tooltip, /strategy: handoff/);
  assert.ok(v.tooltip.includes(`serves [http://localhost:41523/](http://localhost:41523/)`), v.tooltip);
  const failed = statusView({ state: 'failed', errorCount: 1, version: 2, strategy: 'proxy', url });
  assert.match(failed.tooltip, /strategy: proxy/);
  assert.ok(failed.tooltip.includes(`](http://localhost:41523/)`), 'the address while the old version serves');
});

test('failed shows the error count in warning colour and says the old version serves', () => {
  const v = statusView({ state: 'failed', errorCount: 2, version: 4 });
  assert.equal(v.text, '$(error) v4 · 2 errors');
  assert.equal(v.background, 'warning');
  assert.match(v.tooltip, /v4 is still serving/);
  assert.equal(statusView({ state: 'failed', errorCount: 1 }).text, '$(error) 1 error');
});

test('a version that did not serve for a known reason says the reason, not "crashed"', () => {
  const v = statusView({ state: 'crashed', errorCount: 1, headline: 'port 8080 in use', detail: 'v1 failed to start: v1 could not listen on port 8080' });
  assert.equal(v.text, '$(flame) Hot Reload: port 8080 in use');
  assert.equal(v.background, 'error');
  assert.match(v.tooltip, /^Hot Reload: the program is not serving \(port 8080 in use\)\.\n\nv1 failed to start: v1 could not listen on port 8080/);
});

test('the failed-build tooltip says its headline once; a reason that is not a repeat is shown', () => {
  const repeat = statusView({ state: 'failed', errorCount: 2, version: 4, detail: 'build failed: 2 errors; v4 still serving' });
  assert.equal(repeat.tooltip.match(/build failed|still serving/g)?.length, 2, repeat.tooltip);
  assert.ok(!repeat.tooltip.includes('2 errors;'), repeat.tooltip);
  const reason = statusView({ state: 'failed', errorCount: 0, version: 4, detail: 'build failed: go: cannot find main module; v4 still serving' });
  assert.match(reason.tooltip, /cannot find main module/);
});

test('crashed is in error colour', () => {
  const v = statusView({ state: 'crashed', errorCount: 1, detail: 'v2 crashed on start (exited with status 2)' });
  assert.equal(v.background, 'error');
  assert.match(v.tooltip, /crashed on start/);
});

test('an untrusted workspace shows a shield and offers trust', () => {
  const v = statusView({ state: 'off', errorCount: 0, restricted: true });
  assert.match(v.text, /shield/);
  assert.equal(v.command, 'hotReload.manageTrust');
});

test('a start error is shown with its reason, escaped for markdown', () => {
  const v = statusView({ state: 'off', errorCount: 0, startError: 'no go.mod found in /w/[x]' });
  assert.equal(v.background, 'warning');
  assert.match(v.tooltip, /no go\\\.mod found in \/w\/\\\[x\\\]/);
});

test('a live patch and a rollback show in the text', () => {
  const at = new Date(2026, 10, 21, 9, 30, 0).getTime();
  assert.equal(
    statusView({ state: 'running', errorCount: 0, version: 9, lastReloadAt: at, lastReloadMs: 310, lastOutcome: 'patched' }).text,
    '$(zap) v9 · patched in 310 ms',
  );
  assert.equal(
    statusView({ state: 'running', errorCount: 1, version: 2, lastReloadAt: at, lastReloadMs: 5, lastOutcome: 'rolled-back' }).text,
    '$(zap) v2 · rolled back',
  );
});

test('a program running in a container says where', () => {
  const v = statusView({ state: 'running', version: 7, errorCount: 0, target: 'web-1', lastReloadAt: Date.now() });
  assert.match(v.text, /^\$\(zap\) v7 · in web-1 · /);
  assert.match(v.tooltip, /v7 running in web\\-1/);
});

test('with a page address the tooltip links Open in Browser and the Simple Browser, while a version serves', () => {
  const url = 'http://localhost:41523/';
  for (const state of ['running', 'failed', 'building'] as const) {
    const v = statusView({ state, errorCount: state === 'failed' ? 1 : 0, version: 2, url });
    assert.ok(v.tooltip.includes('(command:hotReload.openInBrowser)'), state);
    assert.ok(v.tooltip.includes('(command:hotReload.openInSimpleBrowser)'), state);
    assert.ok(v.tooltip.includes('http://localhost:41523/'), state);
  }
  assert.ok(!statusView({ state: 'running', errorCount: 0, version: 2 }).tooltip.includes('openInBrowser'), 'no address, no link');
  assert.ok(!statusView({ state: 'building', errorCount: 0, url }).tooltip.includes('openInBrowser'), 'nothing serves yet');
});

test("a slow build's progress replaces the bare 'building'", () => {
  const v = statusView({ state: 'building', errorCount: 0, progress: 'compiling 12 of 187 packages' });
  assert.equal(v.text, '$(sync~spin) Hot Reload: compiling 12 of 187 packages');
  assert.equal(statusView({ state: 'starting', errorCount: 0, progress: 'compiling 12 of 187 packages' }).text, '$(sync~spin) Hot Reload: starting');
});

test('a folder running several services sums them up: how many, and how many changes switched', () => {
  const v = statusView({ state: 'running', errorCount: 0, version: 4, services: 3, detail: 'db running · api v4 · worker v4' });
  assert.equal(v.text, '$(zap) 3 services · v4');
  assert.match(v.tooltip, /api v4/);
});
