import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEngineSettings, vscodeSettingKeys, type SettingKey } from '../../src/engine';

test('set values map to engine fields, paths made absolute against the folder', () => {
  const values: Record<string, unknown> = {
    package: './cmd/api',
    args: ['-v'],
    env: { PORT: 8080, EMPTY: null },
    envFiles: ['.env', '${workspaceFolder}/dev.env', '/abs/x.env'],
    cwd: 'run',
    binary: 'tmp/main',
    buildCommand: ' make build ',
    extensions: ['.go', 'html'],
    gracePeriodMs: 250,
    strategy: 'restart',
    watcher: 'polling',
  };
  const layer = toEngineSettings((n: SettingKey) => values[n], '/work/svc');
  assert.deepEqual(layer, {
    package: './cmd/api',
    buildCommand: 'make build',
    binary: '/work/svc/tmp/main',
    args: ['-v'],
    env: { PORT: '8080' },
    envFiles: ['/work/svc/.env', '/work/svc/dev.env', '/abs/x.env'],
    cwd: '/work/svc/run',
    extensions: ['go', 'html'],
    gracePeriodMs: 250,
    strategy: 'restart',
    watcher: 'polling',
  });
});

test('unset and empty settings say nothing, so .air.toml and defaults stand', () => {
  assert.deepEqual(
    toEngineSettings(() => undefined, '/w'),
    {},
  );
  assert.deepEqual(
    toEngineSettings((n: SettingKey) => (n === 'package' ? '  ' : n === 'args' ? [] : undefined), '/w'),
    {},
  );
});

test('every contributed setting is a setting of the engine, and the engine maps each', async () => {
  const pkg = (await import('node:fs')).readFileSync(require.resolve('../../../package.json'), 'utf8');
  const sections = JSON.parse(pkg).contributes.configuration as { properties: Record<string, unknown> }[];
  const contributed = sections.flatMap((s) => Object.keys(s.properties)).map((k: string) => k.replace('hotReload.', ''));
  assert.deepEqual([...contributed].sort(), [...vscodeSettingKeys()].sort());
});
