import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultSettings, DEFAULT_EXTENSIONS } from '../../src/engine/settings/defaults';
import { defaultWorkDir } from '../../src/engine/settings/workDir';

test('defaults: every field has the documented default, paths absolute under root', () => {
  const root = path.resolve('/tmp/some project');
  const s = defaultSettings(root);
  assert.deepEqual(s, {
    root,
    language: 'auto',
    moduleRoot: root,
    package: '',
    entry: '',
    buildFlags: [],
    fastBuildFlags: true,
    buildBeforeSave: true,
    buildEnv: {},
    preBuildCommands: [],
    postStopCommands: [],
    args: [],
    env: {},
    envFiles: [],
    alsoWatch: [],
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
    workDir: defaultWorkDir(root),
    clearOnReload: false,
    cleanOnExit: false,
    onBusyUpdate: 'restart',
    outputOverflow: 'drop',
    readyTimeoutMs: 10000,
    drainTimeoutMs: 10000,
    plugins: [],
    patchLimit: 50,
    patchMemoryMB: 1024,
    sshOptions: [],
    browserReload: false,
    debug: false,
    debugAllPackages: false,
    cgoOnlyWhenNeeded: true,
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
  assert.equal(s.workDir, defaultWorkDir(path.resolve('rel/dir')));
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

test('defaults: the work dir is outside the project, in the user cache, one per project', () => {
  const a = defaultWorkDir('/work/one/app');
  const b = defaultWorkDir('/work/two/app');
  assert.notEqual(a, b, 'two projects of the same name get a work dir each');
  assert.ok(a.startsWith(path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hotreload', 'projects')), a);
  assert.match(path.basename(a), /^app-[0-9a-f]{12}$/);
});
