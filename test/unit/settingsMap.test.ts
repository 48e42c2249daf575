import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEngineSettings, SETTINGS_NEEDING_RESTART } from '../../src/client/settingsMap';

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
  const layer = toEngineSettings((n) => values[n], '/work/svc');
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
  assert.deepEqual(toEngineSettings(() => undefined, '/w'), {});
  assert.deepEqual(toEngineSettings((n) => (n === 'package' ? '  ' : n === 'args' ? [] : undefined), '/w'), {});
});

test('every contributed setting restarts the session', async () => {
  const pkg = (await import('node:fs')).readFileSync(require.resolve('../../../package.json'), 'utf8');
  const contributed = Object.keys(JSON.parse(pkg).contributes.configuration.properties).map((k: string) => k.replace('hotReload.', ''));
  assert.deepEqual([...contributed].sort(), [...SETTINGS_NEEDING_RESTART].sort());
});
