import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { placeChoices } from '../../src/engine/processes/transports/places';
import { sshHosts } from '../../src/engine/processes/transports/sshConfig';
import { tempDir } from '../support/files';

/** A stand-in `docker` that prints `docker ps --format '{{json .}}'` rows (and fails on anything else). */
function fakeDocker(rows: object[]): string {
  const dir = tempDir('hr-fake-docker-');
  const file = path.join(dir, 'docker');
  const out = rows.map((r) => JSON.stringify(r)).join('\n');
  fs.writeFileSync(file, `#!/bin/sh\n[ "$1" = ps ] || exit 2\ncat <<'EOF'\n${out}\nEOF\n`, { mode: 0o755 });
  return file;
}

const ROWS = [
  { Names: 'web-1', Image: 'shop-web', Status: 'Up 3 minutes', Labels: 'com.docker.compose.project=shop,com.docker.compose.service=web' },
  { Names: 'db', Image: 'postgres:16', Status: 'Up 1 hour', Labels: '' },
  { Names: 'other-api-1', Image: 'api', Status: 'Up 2 hours', Labels: 'com.docker.compose.project=other,com.docker.compose.service=api' },
];

test('places: this machine, every running container, and the services of the folder’s own Compose project', async () => {
  const { places, notes } = await placeChoices('/src/shop', {}, { docker: fakeDocker(ROWS), sshConfig: '/nonexistent', kubectl: '/nonexistent/kubectl' });
  assert.deepEqual(notes, []);
  assert.deepEqual(
    places.map((p) => `${p.kind}:${p.label}${p.current ? '*' : ''}`),
    ['local:This machine*', 'compose:web', 'container:db', 'container:other-api-1', 'container:web-1'],
  );
  assert.deepEqual(
    places.map((p) => `${p.icon}${p.tag ? ` ${p.tag}` : ''}`),
    ['vm', 'layers Compose service', 'package', 'package', 'package'],
    'each kind with its icon; a service tagged as one',
  );
  const web = places.find((p) => p.label === 'web-1');
  assert.equal(web && 'detail' in web ? web.detail : '', 'shop/web · shop-web · Up 3 minutes');
  assert.deepEqual(places.find((p) => p.kind === 'compose')?.settings, {
    container: undefined,
    composeService: 'web',
    sshHost: undefined,
    kubernetes: undefined,
  });
  assert.deepEqual(places.find((p) => p.label === 'db')?.settings, { container: 'db', composeService: undefined, sshHost: undefined, kubernetes: undefined });
  assert.deepEqual(
    places[0].settings,
    { container: undefined, composeService: undefined, sshHost: undefined, kubernetes: undefined },
    'this machine clears every target',
  );
});

test('places: the current target is marked, and kept in the list when it is not running', async () => {
  const docker = fakeDocker(ROWS);
  const running = await placeChoices('/src/shop', { container: 'db' }, { docker, sshConfig: '/nonexistent', kubectl: '/nonexistent/kubectl' });
  assert.deepEqual(
    running.places.filter((p) => p.current).map((p) => p.label),
    ['db'],
  );
  const gone = await placeChoices('/src/shop', { container: 'stopped-one' }, { docker, sshConfig: '/nonexistent', kubectl: '/nonexistent/kubectl' });
  const kept = gone.places.find((p) => p.current);
  assert.equal(kept?.label, 'stopped-one');
  assert.equal(kept && 'detail' in kept ? kept.detail : '', 'not running');
});

test('places: no Docker is a note, not a failure; SSH hosts come from the config, patterns left out', async () => {
  const dir = tempDir('hr-ssh-config-');
  const config = path.join(dir, 'config');
  fs.writeFileSync(
    config,
    ['# comment', 'Host build-box', '  HostName 10.0.0.7', 'Host *.internal !bad', 'Host a b', 'Match user x', '  HostName ignored', 'Host=c'].join('\n'),
  );
  const { places, notes } = await placeChoices(
    '/src/app',
    { sshHost: 'b' },
    { docker: path.join(dir, 'no-docker-here'), sshConfig: config, kubectl: '/nonexistent/kubectl' },
  );
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^Docker: .*not installed/);
  assert.deepEqual(
    places.map((p) => `${p.kind}:${p.label}${p.current ? '*' : ''}`),
    ['local:This machine', 'ssh:build-box', 'ssh:a', 'ssh:b*', 'ssh:c'],
  );
  assert.equal(sshHosts(config)[0].detail, '10.0.0.7 · from ~/.ssh/config');
  assert.deepEqual(sshHosts(path.join(dir, 'missing')), []);
});
