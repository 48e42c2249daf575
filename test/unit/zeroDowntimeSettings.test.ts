import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveSettings } from '../../src/engine/session/resolveSettings';
import { tempDir, writeFile } from '../support/files';

function module(): string {
  const dir = tempDir('hr-zd-settings-');
  writeFile(path.join(dir, 'go.mod'), 'module example.com/x\n\ngo 1.19\n');
  return dir;
}

test('handoff/proxy settings: valid values pass through, absent ones take the schema default or stay absent', async () => {
  const dir = module();
  const { settings, problems } = await resolveSettings(
    dir,
    [{ package: '.', listenAddress: '127.0.0.1:9000', readyTimeoutMs: 2500, drainTimeoutMs: 0, healthPath: '/healthz' }],
    { ignoreAirToml: true },
  );
  assert.deepEqual(problems, []);
  assert.equal(settings?.listenAddress, '127.0.0.1:9000');
  assert.equal(settings?.readyTimeoutMs, 2500);
  assert.equal(settings?.drainTimeoutMs, 0);
  assert.equal(settings?.healthPath, '/healthz');
  const plain = await resolveSettings(dir, [{ package: '.' }], { ignoreAirToml: true });
  assert.equal(plain.settings?.readyTimeoutMs, 10000);
  assert.equal(plain.settings?.drainTimeoutMs, 10000);
  assert.equal(plain.settings?.listenAddress, undefined);
});

test('handoff/proxy settings: mistakes are errors that say what to write', async () => {
  const dir = module();
  const { settings, problems } = await resolveSettings(
    dir,
    [{ package: '.', listenAddress: 'localhost', readyTimeoutMs: -1, drainTimeoutMs: Number.NaN, healthPath: 'healthz' }],
    { ignoreAirToml: true, layerSources: ['test'] },
  );
  assert.equal(settings, undefined);
  const messages = problems.map((p) => p.message).join('\n');
  assert.match(messages, /listenAddress "localhost" has no port: write it as ":8080"/);
  assert.match(messages, /readyTimeoutMs must be a number of milliseconds, 0 or more; got -1/);
  assert.match(messages, /drainTimeoutMs must be a number of milliseconds/);
  assert.match(messages, /healthPath must be a path starting with "\/"/);
  const wrongType = await resolveSettings(dir, [{ package: '.', listenAddress: 8080 as unknown as string }], { ignoreAirToml: true });
  assert.match(wrongType.problems.map((p) => p.message).join('\n'), /listenAddress must be a string/);
});
