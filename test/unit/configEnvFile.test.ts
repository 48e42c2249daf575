import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEnvFiles } from '../../src/engine/settings/envFile';
import { tempDir } from '../support/files';

test('envFile: parses dotenv syntax and merges files in order, later wins', () => {
  const dir = tempDir('hr-env-');
  const a = path.join(dir, '.env');
  const b = path.join(dir, 'local é.env');
  fs.writeFileSync(a, '\uFEFF# comment\nA=1\nB="two words"\nexport C=3\nSHARED=from-a\n');
  fs.writeFileSync(b, "SHARED=from-b\nD='single $NOT_EXPANDED'\n");
  const { env, problems } = loadEnvFiles([a, b]);
  assert.deepEqual(problems, []);
  assert.deepEqual(env, { A: '1', B: 'two words', C: '3', SHARED: 'from-b', D: 'single $NOT_EXPANDED' });
});

test('envFile: a missing file is an error naming its path; the others still load', () => {
  const dir = tempDir('hr-env-');
  const good = path.join(dir, 'good.env');
  const missing = path.join(dir, 'missing.env');
  fs.writeFileSync(good, 'X=1\n');
  const { env, problems } = loadEnvFiles([missing, good], 'hotReload.envFiles');
  assert.deepEqual(env, { X: '1' });
  assert.equal(problems.length, 1);
  assert.equal(problems[0].severity, 'error');
  assert.equal(problems[0].source, 'hotReload.envFiles');
  assert.equal(problems[0].file, missing);
  assert.match(problems[0].message, new RegExp(missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.match(problems[0].message, /does not exist/);
});

test('envFile: a directory is an error, not a crash', () => {
  const dir = tempDir('hr-env-');
  const { env, problems } = loadEnvFiles([dir]);
  assert.deepEqual(env, {});
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /is a directory/);
});

test('envFile: no files, empty env', () => {
  assert.deepEqual(loadEnvFiles([]), { env: {}, problems: [] });
});
