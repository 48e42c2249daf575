/**
 * A session VS Code started (through the language server, as the extension does) answers the
 * CLI's `hotreload wait` for an edit made outside the editor, says it came from VS Code, and
 * `hotreload stop` turns the folder off in the editor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorClient } from './editorClient';
import { hotreload, runDirEnv } from './controlCli';
import { setGreeting } from './harness';
import { copyExample } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesUnder } from '../support/processes';
import { eventually } from '../support/waiting';

test('a session started through the language server answers the CLI’s wait, status and stop', { timeout: 600_000 }, async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const env = runDirEnv();
  const editor = await EditorClient.start(dir, { ...process.env, ...env });
  try {
    const started = await editor.startFolder({ env: { PORT: String(port) } });
    assert.equal(started.started, true, JSON.stringify(started));
    await eventually('v1 runs', () => editor.states.find((s) => s.state === 'running' && s.version === 1), { timeoutMs: 180_000 });

    // Edited from outside the editor (an agent, a script): no didSave, only the file on disk.
    setGreeting(dir, 'from a script');
    const waited = await hotreload(['wait', '--timeout', '3m'], dir, env);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stdout, new RegExp(`^v2 serves at http://localhost:${port}/ `));
    assert.equal((await httpGet(port)).body, 'from a script');

    const status = JSON.parse((await hotreload(['status', '--json'], dir, env)).stdout);
    assert.equal(status.frontEnd, 'vscode');
    assert.equal(status.version, 2);

    const stop = await hotreload(['stop'], dir, env);
    assert.equal(stop.code, 0, stop.stderr);
    await eventually('the folder is off in the editor', () => editor.states.some((s) => s.state === 'off'));
    assert.equal((await hotreload(['status'], dir, env)).code, 5);
  } finally {
    await editor.stop();
    killProcessesUnder(dir);
  }
});
