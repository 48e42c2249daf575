/**
 * `hotreload mcp` as an agent's MCP client uses it: the official SDK's client starts it over stdio,
 * lists the tools, calls wait after an edit (the new version serves when it answers) and reads the
 * build error after a bad edit, against a session the CLI runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { runCli } from './cliRun';
import { runDirEnv } from './controlCli';
import { setGreeting } from './harness';
import { copyExample, repoRoot } from '../support/examples';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { freePort } from '../support/ports';
import { killProcessesUnder } from '../support/processes';

/** The text of a tool call's answer. */
function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
}

test('MCP: list the tools, wait after an edit, read the error after a bad edit', { timeout: 600_000 }, async () => {
  const dir = copyExample('hello');
  const port = await freePort();
  const env = { ...runDirEnv(), PORT: String(port) };
  const session = runCli(dir, [], env);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(repoRoot, 'dist', 'cli.js'), 'mcp'],
    cwd: dir,
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'hot-reload-test', version: '1.0.0' });
  try {
    await session.line(/v1 started/, 180_000);
    await client.connect(transport);
    assert.equal(client.getServerVersion()?.name, 'hotreload');
    assert.match(client.getInstructions() ?? '', /call hotreload_wait/);

    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['hotreload_wait', 'hotreload_status', 'hotreload_errors', 'hotreload_logs', 'hotreload_restart'],
    );
    const wait = tools.find((t) => t.name === 'hotreload_wait')!;
    assert.match(wait.description ?? '', /after editing files/);
    assert.deepEqual(Object.keys(wait.inputSchema.properties ?? {}), ['timeoutSeconds']);

    setGreeting(dir, 'hello, agent');
    const waited = await client.callTool({ name: 'hotreload_wait', arguments: { timeoutSeconds: 180 } }, undefined, { timeout: 200_000 });
    assert.equal(waited.isError, false, text(waited));
    assert.match(text(waited), new RegExp(`^v2 serves at http://localhost:${port}/ `));
    assert.equal((await httpGet(port)).body, 'hello, agent');

    fs.writeFileSync(path.join(dir, 'greeting.go'), 'package main\n\nfunc greeting() string {\n\treturn 42\n}\n');
    const failed = await client.callTool({ name: 'hotreload_wait', arguments: {} }, undefined, { timeout: 200_000 });
    assert.equal(failed.isError, false, 'a failed build is an answer, not a tool error');
    assert.match(text(failed), /^greeting\.go:4:9: cannot use 42 /m);
    const errors = await client.callTool({ name: 'hotreload_errors', arguments: {} });
    assert.match(text(errors), /^greeting\.go:4:9: cannot use 42 /m);
    const status = await client.callTool({ name: 'hotreload_status', arguments: {} });
    assert.match(text(status), /^state: {4}failed · v2/m);
    const logs = await client.callTool({ name: 'hotreload_logs', arguments: { lines: 50 } });
    assert.match(text(logs), /hello: listening on/);

    // A folder with no session: an error answer that says how to start one. Its own empty folder:
    // the checkout's parent may hold the test's session (a clone under /tmp, say).
    const nowhere = new Client({ name: 'hot-reload-test', version: '1.0.0' });
    try {
      await nowhere.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [path.join(repoRoot, 'dist', 'cli.js'), 'mcp', '--root', tempDir('hr-no-session-')],
          env: { ...(process.env as Record<string, string>), ...env },
          stderr: 'pipe',
        }),
      );
      const none = await nowhere.callTool({ name: 'hotreload_status', arguments: {} });
      assert.equal(none.isError, true, text(none));
      assert.match(text(none), /no Hot Reload session runs for .*: start it with `hotreload`/);
    } finally {
      // Its server is a child process: left open, it would keep this test file from ending.
      await nowhere.close();
    }
  } finally {
    await client.close();
    await session.stop();
    killProcessesUnder(dir);
  }
});
