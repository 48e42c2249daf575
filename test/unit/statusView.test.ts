import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusView } from '../../src/client/statusView';

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

test('running shows the version and the last reload time, with links', () => {
  const at = new Date(2026, 10, 21, 14, 2, 11).getTime();
  const v = statusView({ state: 'running', errorCount: 0, version: 7, pid: 42, lastReloadAt: at, strategy: 'restart' }, new Date(at + 5000));
  assert.equal(v.text, '$(zap) v7 · 14:02:11');
  assert.match(v.tooltip, /pid 42/);
  assert.match(v.tooltip, /reloaded 5s ago/);
  for (const link of ['hotReload.restart', 'hotReload.stop', 'hotReload.showOutput', 'hotReload.showChanges', 'hotReload.openSettings']) {
    assert.ok(v.tooltip.includes(`(command:${link})`), link);
  }
});

test('failed shows the error count in warning colour and says the old version serves', () => {
  const v = statusView({ state: 'failed', errorCount: 2, version: 4 });
  assert.equal(v.text, '$(error) v4 · 2 errors');
  assert.equal(v.background, 'warning');
  assert.match(v.tooltip, /v4 is still serving/);
  assert.equal(statusView({ state: 'failed', errorCount: 1 }).text, '$(error) 1 error');
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
  assert.equal(statusView({ state: 'running', errorCount: 0, version: 9, lastReloadAt: at, lastOutcome: 'patched' }).text, '$(zap) v9 patched · 09:30:00');
  assert.equal(
    statusView({ state: 'running', errorCount: 1, version: 2, lastReloadAt: at, lastOutcome: 'rolled-back' }).text,
    '$(zap) v2 (rolled back) · 09:30:00',
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
