/**
 * A folder with a hotreload.toml through the language server, as VS Code drives it: Start runs
 * every service; the Services view's notifications say each one's state and version; a save of
 * the shared package switches both Go services; one service stops and starts again from the
 * view's buttons; the status bar's state sums the services up; Stop leaves nothing running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ServiceActionRequest, StopRequest, WriteServicesRequest, type ServicesNotification } from '../../src/protocol';
import { copyExample, goAvailable } from '../support/examples';
import { httpGet } from '../support/http';
import { pidsWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';
import { EditorClient } from './editorClient';

const skip = goAvailable() ? false : 'go is not installed';

type Info = ServicesNotification.Params['services'][number];

function latest(editor: EditorClient): Info[] {
  return editor.services.at(-1)?.services ?? [];
}

function serviceNamed(editor: EditorClient, name: string): Info | undefined {
  return latest(editor).find((s) => s.name === name);
}

/** Waits until the view's last word on `name` passes `check`. */
function viewShows(editor: EditorClient, name: string, what: string, check: (s: Info) => boolean): Promise<Info> {
  return eventually(
    `${name}: ${what}`,
    () => {
      const s = serviceNamed(editor, name);
      return s && check(s) ? s : undefined;
    },
    { timeoutMs: 120_000 },
  );
}

test('the language server runs a folder’s services, shows each in the Services view, and stops and starts one', { skip }, async () => {
  const dir = copyExample('services');
  const editor = await EditorClient.start(dir);
  let apiPort: string | undefined;
  try {
    const result = await editor.startFolder({});
    assert.deepEqual(result, { started: true, warnings: [] });
    assert.deepEqual(
      latest(editor).map((s) => [s.name, s.state]),
      [
        ['db', 'ready'],
        ['api', 'ready'],
        ['worker', 'ready'],
        ['gateway', 'ready'],
      ],
    );
    const state = await eventually('the folder state sums the services up', () =>
      [...editor.states].reverse().find((s) => s.services === 4 && s.state === 'running'),
    );
    assert.equal(state.version, 1);
    const gateway = serviceNamed(editor, 'gateway')!;
    const gatewayPort = Number(new URL(gateway.url!).port);
    assert.equal(state.url, gateway.url, 'the status bar opens the front service');
    apiPort = new URL(serviceNamed(editor, 'api')!.url!).port;
    assert.equal((await httpGet(gatewayPort)).body, 'gateway | api: hello | worker: hello');

    // A save of the shared package: both Go services at v2, the gateway still v1.
    const shared = path.join(dir, 'shared', 'greeting', 'greeting.go');
    await editor.open(shared);
    await editor.type(shared, fs.readFileSync(shared, 'utf8').replace('"hello"', '"saved"'));
    await editor.save(shared);
    await viewShows(editor, 'api', 'v2', (s) => s.version === 2);
    await viewShows(editor, 'worker', 'v2', (s) => s.version === 2);
    assert.equal(serviceNamed(editor, 'gateway')!.version, 1);
    await eventually('the folder state counts the change switched', () => [...editor.states].reverse().find((s) => s.services === 4 && s.version === 2));
    assert.equal((await httpGet(gatewayPort)).body, 'gateway | api: saved | worker: saved');
    assert.ok(editor.reports.some((r) => r.service === 'api' && r.report.outcome === 'handed-off'));
    // Each service's output goes to a terminal of its own.
    assert.ok(editor.outputs.some((o) => o.service === 'api' && /api: serving on/.test(o.data)));
    assert.ok(editor.outputs.some((o) => o.service === 'db' && /db: ready to accept connections/.test(o.data)));
    assert.ok(!editor.outputs.some((o) => o.service === 'api' && /worker: serving/.test(o.data)), 'no worker line in the api terminal');
    assert.ok(
      editor.logs.some((line) => /api, worker switched together/.test(line)),
      editor.logs.join('\n'),
    );

    // The view's Stop on the worker: only the worker stops; the gateway answers with an error for it.
    const folder = editor.folder;
    assert.deepEqual(await editor.connection.sendRequest(ServiceActionRequest.type, { folder, service: 'worker', action: 'stop' }), { done: true });
    await viewShows(editor, 'worker', 'stopped', (s) => s.state === 'stopped');
    assert.equal(serviceNamed(editor, 'api')!.state, 'ready');
    assert.equal((await httpGet(gatewayPort)).status, 502);
    // And its Start: built and started again, serving the saved text.
    assert.deepEqual(await editor.connection.sendRequest(ServiceActionRequest.type, { folder, service: 'worker', action: 'start' }), { done: true });
    await viewShows(editor, 'worker', 'ready', (s) => s.state === 'ready');
    assert.equal((await httpGet(gatewayPort)).body, 'gateway | api: saved | worker: saved');
    assert.deepEqual(await editor.connection.sendRequest(ServiceActionRequest.type, { folder, service: 'nope', action: 'stop' }), {
      done: false,
      reason: 'no service nope runs in this folder',
    });

    await editor.connection.sendRequest(StopRequest.type, { folder });
    await eventually('nothing of the services runs after Stop', () => (pidsWithEnv('API_PORT', apiPort!).length === 0 ? true : undefined));
  } finally {
    await editor.stop();
  }
  if (apiPort) assert.deepEqual(pidsWithEnv('API_PORT', apiPort), []);
});

test('“Run them all” in a folder with several main packages writes hotreload.toml, and Start then runs them as services', { skip }, async () => {
  const dir = copyExample('services');
  fs.rmSync(path.join(dir, 'hotreload.toml'));
  const editor = await EditorClient.start(dir);
  try {
    const first = await editor.startFolder({});
    assert.equal(first.started, false);
    assert.deepEqual(!first.started && first.targets?.map((t) => t.package), ['./cmd/api', './cmd/worker']);
    const written = await editor.connection.sendRequest(WriteServicesRequest.type, { folder: editor.folder });
    assert.deepEqual(written, { written: true, file: path.join(dir, 'hotreload.toml'), services: ['api', 'worker'] });
    assert.deepEqual(await editor.connection.sendRequest(WriteServicesRequest.type, { folder: editor.folder }), {
      written: false,
      reason: 'hotreload.toml exists already: edit it, or delete it to have it written again',
    });
    assert.deepEqual(await editor.startFolder({}), { started: true, warnings: [] });
    assert.deepEqual(
      latest(editor).map((s) => [s.name, s.state]),
      [
        ['api', 'ready'],
        ['worker', 'ready'],
      ],
    );
  } finally {
    await editor.stop();
  }
});
