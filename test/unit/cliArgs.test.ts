import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCliArgs, parseMs } from '../../src/cli/args';

test('flags become a settings layer with absolute paths', () => {
  const o = parseCliArgs(
    [
      '-C',
      'svc',
      '-p',
      './cmd/api',
      '--env',
      'A=1',
      '--env',
      'B=x=y',
      '--env-file',
      '.env',
      '--signal',
      'int',
      '--grace',
      '2s',
      '--ext',
      '.go,html',
      '--',
      '-v',
      '--port=1',
    ],
    '/work',
    false,
  );
  assert.equal(o.root, '/work/svc');
  assert.equal(o.layer.package, './cmd/api');
  assert.deepEqual(o.layer.env, { A: '1', B: 'x=y' });
  assert.deepEqual(o.layer.envFiles, ['/work/svc/.env']);
  assert.equal(o.layer.stopSignal, 'SIGINT');
  assert.equal(o.layer.gracePeriodMs, 2000);
  assert.deepEqual(o.layer.extensions, ['go', 'html']);
  assert.deepEqual(o.layer.args, ['-v', '--port=1']);
  assert.equal(o.color, false);
});

test('bad flags get a clear error', () => {
  assert.throws(() => parseCliArgs(['--nope'], '/w', false), /nope/);
  assert.throws(() => parseCliArgs(['--env', 'NOEQUALS'], '/w', false), /KEY=VALUE/);
  assert.throws(() => parseCliArgs(['--grace', 'soon'], '/w', false), /duration/);
});

test('durations', () => {
  assert.equal(parseMs('x', '500'), 500);
  assert.equal(parseMs('x', '500ms'), 500);
  assert.equal(parseMs('x', '1.5s'), 1500);
});

test('--browser-reload and --browser-port turn on browser reload', () => {
  const o = parseCliArgs(['--browser-reload', '--browser-port', '9123'], '/w', false);
  assert.equal(o.layer.browserReload, true);
  assert.equal(o.layer.browserPort, 9123);
  assert.equal(parseCliArgs([], '/w', false).layer.browserReload, undefined, 'off unless asked for');
  assert.throws(() => parseCliArgs(['--browser-port', 'x'], '/w', false), /--browser-port takes a whole number/);
});
