import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRemote, targetLabel, transportFor } from '../../src/engine/processes/transports';
import { placeChoices, placeSettings } from '../../src/engine/processes/transports/places';
import { TARGET_ROWS } from '../../src/engine/processes/transports/targets';
import { defaultSettings } from '../../src/engine/settings/defaults';
import { SCHEMA } from '../../src/engine/settings/schema';
import { TARGET_PLACES } from '../../src/engine/settings/schema/target';
import { TARGET_KINDS, TARGET_SETTING_ROWS, targetProblems, type TargetSettingKey } from '../../src/engine/settings/targets';
import { validateSettings } from '../../src/engine/settings/validate';
import type { Settings } from '../../src/engine/settings/types';
import { tempDir } from '../support/files';

test('target table: one row per kind in both halves, and the schema’s place settings are exactly the rows’ keys', () => {
  assert.deepEqual(
    TARGET_ROWS.map((row) => row.kind),
    [...TARGET_KINDS],
  );
  assert.deepEqual(
    TARGET_SETTING_ROWS.map((row) => row.kind),
    TARGET_KINDS.filter((k) => k !== 'local'),
  );
  assert.deepEqual(TARGET_SETTING_ROWS.map((row) => row.key).sort(), Object.keys(TARGET_PLACES).sort());
  for (const key of Object.keys(TARGET_PLACES) as TargetSettingKey[]) assert.equal(SCHEMA[key].group, 'target');
  for (const row of TARGET_ROWS) assert.match(row.icon, /^[a-z-]+$/, `${row.kind}: a codicon name`);
});

function settingsWith(values: Partial<Settings>): Settings {
  return { ...defaultSettings(tempDir('hr-targets-')), ...values };
}

test('target table: each kind’s setting makes the place remote, labels it, and picks its transport', async () => {
  const local = settingsWith({});
  assert.equal(isRemote(local), false);
  assert.equal(targetLabel(local), undefined);
  assert.equal((await transportFor(local)()).kind, 'local');

  const container = settingsWith({ container: 'web-1' });
  assert.equal(isRemote(container), true);
  assert.equal(targetLabel(container), 'web-1');
  const docker = await transportFor(container)();
  assert.deepEqual([docker.kind, docker.label], ['container', 'web-1']);

  const ssh = settingsWith({ sshHost: 'deploy@box' });
  assert.equal(targetLabel(ssh), 'deploy@box');
  const host = await transportFor(ssh)();
  assert.deepEqual([host.kind, host.label], ['ssh', 'deploy@box']);

  const kube = await transportFor(settingsWith({ kubernetes: 'deploy/api', kubeNamespace: 'shop' }))();
  assert.deepEqual([kube.kind, kube.label], ['kubernetes', 'deployment/api']);

  // A Compose service is looked up (docker ps) only when its transport is first asked for.
  const compose = settingsWith({ composeService: 'web' });
  assert.equal(isRemote(compose), true);
  assert.equal(targetLabel(compose), 'web');
  assert.equal(typeof transportFor(compose), 'function');
});

test('target table: a value that is an option or has spaces, two places at once, a strategy of this machine only', () => {
  const flagOf = (key: string) => `--${key}`;
  const messages = (values: Partial<Settings>) => targetProblems(settingsWith(values), flagOf).map((p) => `${p.key}: ${p.message}`);
  assert.deepEqual(messages({ container: '-it' }), ['container: container "-it" is not a container or service name: it would be read as an option']);
  assert.deepEqual(messages({ composeService: 'my web' }), ['composeService: composeService "my web" is not a container or service name: it has spaces']);
  assert.deepEqual(messages({ sshHost: '-p 22 box' }), [
    'sshHost: sshHost "-p 22 box" is not a host: it would be read as an option (ssh options go in sshOptions)',
  ]);
  assert.deepEqual(messages({ container: 'a', sshHost: 'b' }), ['sshHost: only one target at a time: --container and --sshHost are both set']);
  assert.deepEqual(messages({ sshHost: 'b', strategy: 'proxy' }), [
    'strategy: the proxy strategy runs on this machine only: with an SSH host use restart or handoff (or auto)',
  ]);
  assert.deepEqual(messages({ container: 'ok-name_1.2' }), []);
  assert.deepEqual(messages({ kubernetes: 'deployment/api' }), []);
  assert.deepEqual(messages({ kubernetes: 'api-v2.shop' }), []);
  assert.deepEqual(messages({ kubernetes: 'pod/api-7d9' }), [
    'kubernetes: kubernetes "pod/api-7d9" is not a Deployment: write deployment/NAME or NAME (pods and other workloads are not supported yet)',
  ]);
  assert.deepEqual(messages({ kubernetes: 'deployment/Api' }), [
    `kubernetes: kubernetes "deployment/Api": "Api" is not a Kubernetes name (lower-case letters, digits, '-' and '.')`,
  ]);
  assert.deepEqual(messages({ kubernetes: 'api', strategy: 'proxy' }), [
    'strategy: the proxy strategy runs on this machine only: with a Kubernetes Deployment use restart or handoff (or auto)',
  ]);

  // The validator names the settings as the command line does.
  const both = validateSettings(settingsWith({ container: 'a', composeService: 'b' }), (key) => key).problems.map((p) => p.message);
  assert.ok(both.includes('only one target at a time: --compose-service and --docker are both set'), both.join('\n'));
});

test('target table: a place’s settings set its kind’s key and clear the others; the kinds a user may type in', async () => {
  for (const row of TARGET_SETTING_ROWS) {
    const settings = placeSettings({ kind: row.kind, label: 'x' });
    assert.deepEqual(Object.keys(settings).sort(), Object.keys(TARGET_PLACES).sort());
    for (const [key, value] of Object.entries(settings)) assert.equal(value, key === row.key ? 'x' : undefined);
  }
  assert.ok(Object.values(placeSettings({ kind: 'local', label: 'This machine' })).every((v) => v === undefined));

  const { places, typed, notes } = await placeChoices(
    '/src/app',
    {},
    { docker: '/nonexistent/docker', sshConfig: '/nonexistent', kubectl: '/nonexistent/kubectl' },
  );
  assert.ok(!notes.some((n) => n.startsWith('kubectl')), 'no kubectl is no note: most folders are not deployed to a cluster');
  assert.deepEqual(
    places.map((p) => [p.kind, p.icon, p.current]),
    [['local', 'vm', true]],
  );
  assert.deepEqual(
    typed.map((t) => [t.kind, t.key, t.label]),
    [['ssh', 'sshHost', 'SSH host…']],
  );
  assert.ok(Object.values(typed[0].settings).every((v) => v === undefined));
});
