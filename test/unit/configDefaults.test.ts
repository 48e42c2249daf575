import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultSettings, DEFAULT_EXTENSIONS } from '../../src/engine/settings/defaults';

test('defaults: every field has the documented default, paths absolute under root', () => {
  const root = path.resolve('/tmp/some project');
  const s = defaultSettings(root);
  assert.deepEqual(s, {
    root,
    moduleRoot: root,
    package: '',
    buildFlags: [],
    fastBuildFlags: true,
    buildBeforeSave: true,
    buildEnv: {},
    preBuildCommands: [],
    postStopCommands: [],
    args: [],
    env: {},
    envFiles: [],
    cwd: root,
    include: [],
    exclude: [],
    excludeRegex: [],
    alwaysInclude: [],
    extensions: ['go', 'mod', 'sum', 'html', 'tmpl', 'tpl', 'gohtml'],
    useGitignore: true,
    stopSignal: 'SIGTERM',
    gracePeriodMs: 5000,
    debounceMs: 10,
    crashWindowMs: 1000,
    watcher: 'native',
    pollIntervalMs: 500,
    keepRunningOnBuildError: true,
    rerun: false,
    rerunDelayMs: 500,
    strategy: 'auto',
    workDir: path.join(root, '.hotreload'),
    clearOnReload: false,
    cleanOnExit: false,
    onBusyUpdate: 'restart',
    readyTimeoutMs: 10000,
    drainTimeoutMs: 10000,
    plugins: [],
    patchLimit: 50,
    patchMemoryMB: 1024,
  });
  assert.equal(s.buildCommand, undefined);
  assert.equal(s.binary, undefined);
});

test('defaults: .env is not loaded implicitly', () => {
  assert.deepEqual(defaultSettings('/x').envFiles, []);
});

test('defaults: a relative root is made absolute', () => {
  const s = defaultSettings('rel/dir');
  assert.equal(s.root, path.resolve('rel/dir'));
  assert.equal(s.workDir, path.join(path.resolve('rel/dir'), '.hotreload'));
});

test('defaults: each call returns fresh arrays and objects', () => {
  const a = defaultSettings('/x');
  a.extensions.push('css');
  a.env.FOO = '1';
  a.args.push('x');
  const b = defaultSettings('/x');
  assert.deepEqual(b.extensions, [...DEFAULT_EXTENSIONS]);
  assert.deepEqual(b.env, {});
  assert.deepEqual(b.args, []);
});
