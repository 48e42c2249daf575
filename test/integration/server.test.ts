import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import {
  ChangesRequest,
  OutputNotification,
  ReportNotification,
  RestartRequest,
  RunningContentRequest,
  StartRequest,
  StateNotification,
} from '../../src/protocol';
import { setGreeting } from './harness';
import { groupMembers } from '../../src/engine/processes/processTree';
import { copyExample, repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesUnder } from '../support/processes';
import { eventually } from '../support/waiting';

/** The language server as the VS Code client drives it, over a real JSON-RPC connection. */
test('the language server reloads on didSave, publishes and clears diagnostics, serves changes and stops its program', async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const states: StateNotification.Params[] = [];
  const reports: ReportNotification.Params[] = [];
  const diagnostics = new Map<string, { message: string; range: { start: { line: number } } }[]>();
  let output = '';
  connection.onNotification(StateNotification.type, (p) => states.push(p));
  connection.onNotification(ReportNotification.type, (p) => reports.push(p));
  connection.onNotification(OutputNotification.type, (p) => (output += p.data));
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: [] }) => diagnostics.set(p.uri, p.diagnostics));
  connection.listen();
  const folder = URI.file(dir).toString();
  const greeting = path.join(dir, 'greeting.go');
  const greetingUri = URI.file(greeting).toString();
  try {
    const init = await connection.sendRequest<{ capabilities: { textDocumentSync: { save: unknown } } }>('initialize', {
      processId: process.pid,
      rootUri: folder,
      capabilities: {},
      workspaceFolders: [{ uri: folder, name: 'hello' }],
    });
    assert.ok(init.capabilities.textDocumentSync.save, 'the server asks for saves');
    await connection.sendNotification('initialized', {});

    const started = await connection.sendRequest(StartRequest.type, { folder, values: { env: { PORT: String(port) } } });
    assert.equal(started.started, true, JSON.stringify(started));
    await eventually('running state', () => states.find((s) => s.state === 'running' && s.version === 1));
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'hello, world');
    await eventually('program output reaches the client', () => output.includes('listening on'));

    // A broken file, saved in the editor.
    fs.writeFileSync(greeting, 'package main\n\nfunc greeting() string {\n\treturn 42\n}\n');
    await connection.sendNotification('textDocument/didSave', { textDocument: { uri: greetingUri } });
    const published = await eventually('diagnostics for greeting.go', () => (diagnostics.get(greetingUri)?.length ? diagnostics.get(greetingUri) : undefined));
    assert.equal(published[0].range.start.line, 3, 'line 4, zero-based');
    assert.match(published[0].message, /cannot use 42/);
    await eventually('the failed state with one error', () => states.some((s) => s.state === 'failed' && s.errorCount === 1));
    assert.equal((await httpGet(port)).body, 'hello, world', 'old version still answers');

    // Show Changes: the working tree differs from the running version's sources.
    const changes = await connection.sendRequest(ChangesRequest.type, { folder });
    assert.deepEqual(
      changes.files.map((f) => path.basename(f.path)),
      ['greeting.go'],
    );
    const runningContent = await connection.sendRequest(RunningContentRequest.type, { folder, path: greeting });
    assert.match(runningContent.content ?? '', /hello, world/);

    setGreeting(dir, 'from the server');
    await connection.sendNotification('textDocument/didSave', { textDocument: { uri: greetingUri } });
    await eventually('diagnostics cleared', () => diagnostics.get(greetingUri)?.length === 0);
    await eventually('v2 answers', async () => (await httpGet(port)).body === 'from the server');
    // The editor's save and the watcher race to report the same write; either may trigger the reload.
    const v2 = await eventually('the v2 report', () => reports.find((r) => r.report.version === 2 && r.report.outcome === 'restarted'));
    assert.match(v2.line, /^v2 restarted · (save|change) · .*greeting\.go \+1\/-1/);
    const running = await eventually('a running state that carries the last reload', () => states.find((st) => st.state === 'running' && st.version === 2));
    assert.equal(running.lastOutcome, 'restarted');
    assert.equal(running.lastReloadAt, v2.report.finishedAt);

    const pid2 = Number((await httpGet(port, '/pid')).body);
    assert.deepEqual(await connection.sendRequest(RestartRequest.type, { folder }), { restarted: true });
    await eventually('restart gives a new process', async () => Number((await httpGet(port, '/pid')).body) !== pid2);
    const pid3 = Number((await httpGet(port, '/pid')).body);

    // A Start while running replaces the session without telling the client the folder is off
    // (a late 'off' would turn off the session that replaced it).
    const offBefore = states.filter((st) => st.state === 'off').length;
    const again = await connection.sendRequest(StartRequest.type, { folder, values: { env: { PORT: String(port) } } });
    assert.equal(again.started, true, JSON.stringify(again));
    await eventually('the new session runs', () => states.filter((st) => st.state === 'running' && st.version === 1).length >= 2);
    assert.equal(states.filter((st) => st.state === 'off').length, offBefore, 'no off between the two sessions');
    const pid4 = await eventually('the new session’s program answers', async () => Number((await httpGet(port, '/pid')).body));
    assert.notEqual(pid4, pid3);

    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await new Promise((resolve) => server.once('exit', resolve));
    assert.deepEqual(groupMembers(pid4), [], 'the program went with the server');
  } finally {
    connection.dispose();
    server.kill('SIGKILL');
    // A test that failed midway leaves the killed server's program behind.
    killProcessesUnder(dir);
  }
});
