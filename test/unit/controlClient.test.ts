/**
 * The control client and the CLI's subcommands against the endpoint's golden transcripts
 * (test/fixtures/protocol/control): a fake endpoint plays the server's side back, checks that what
 * the client sends is what the transcript says, and the test checks what the CLI prints and how it
 * exits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { tempDir } from '../support/files';

process.env.XDG_RUNTIME_DIR = tempDir('hr-run-');

import { ControlClient, ControlError } from '../../src/engine';
import { newEndpointPlace, ownStartTime, publishRecord, withdrawRecord, type ControlRecord } from '../../src/engine/control/discovery';
import { LineChannel } from '../../src/engine/control/lineChannel';
import { parseControlArgs, type ControlCommand } from '../../src/cli/controlArgs';
import { runControlCommand } from '../../src/cli/controlCommands';
import { instantiate, normalize, readTranscript } from '../support/controlGolden';

/** A fake endpoint that answers as a transcript says; `sent` is what clients sent it, normalized. */
async function playBack(name: string, root: string): Promise<{ record: ControlRecord; sent: unknown[]; mismatches: string[]; close(): Promise<void> }> {
  const transcript = readTranscript(name);
  const { socket, recordFile, token } = newEndpointPlace();
  const record: ControlRecord = {
    protocol: 1,
    pid: process.pid,
    startTime: ownStartTime(),
    root,
    service: null,
    frontEnd: 'cli',
    socket,
    token,
    startedAt: Date.now(),
  };
  const sent: unknown[] = [];
  const mismatches: string[] = [];
  const server = net.createServer((connection) => {
    let at = 0;
    const channel = new LineChannel(
      connection,
      (line) => {
        const message = normalize(JSON.parse(line), root, token);
        sent.push(message);
        const expected = transcript[at];
        if (!expected || !('client' in expected)) mismatches.push(`unexpected ${JSON.stringify(message)}`);
        else if (JSON.stringify(expected.client) !== JSON.stringify(message))
          mismatches.push(`sent ${JSON.stringify(message)}, transcript has ${JSON.stringify(expected.client)}`);
        at++;
        for (; at < transcript.length && 'server' in transcript[at]; at++) {
          const line = transcript[at];
          if ('server' in line) channel.send(instantiate(line.server, { root, token, pid: process.pid }));
        }
        if (at >= transcript.length && (name === 'wrong-token' || name === 'refused')) channel.close();
      },
      () => undefined,
    );
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  publishRecord(recordFile, record);
  return {
    record,
    sent,
    mismatches,
    close: async () => {
      withdrawRecord(recordFile, socket);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `hotreload <command> <args>` from `cwd` against the fake endpoint; what it printed and its exit code. */
async function cli(command: ControlCommand, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runControlCommand(parseControlArgs(command, args, cwd), { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

async function withPlayBack(name: string, body: (root: string, fake: Awaited<ReturnType<typeof playBack>>) => Promise<void>): Promise<void> {
  const root = tempDir('hr-project-');
  const fake = await playBack(name, root);
  try {
    await body(root, fake);
    assert.deepEqual(fake.mismatches, []);
  } finally {
    await fake.close();
  }
}

test('status: the CLI prints one fact a line, from a folder below the project', () =>
  withPlayBack('status', async (root) => {
    fs.mkdirSync(path.join(root, 'cmd', 'api'), { recursive: true });
    const { code, out } = await cli('status', [], path.join(root, 'cmd', 'api'));
    assert.equal(code, 0);
    assert.match(out, new RegExp(`^state: {4}running · v1 \\(pid ${process.pid}\\)\\n`));
    assert.match(out, /^strategy: restart$/m);
    assert.match(out, new RegExp(`^root: {5}${root.replace(/[/\\]/g, '.')}$`, 'm'));
    assert.match(out, /^last: {5}v1 started · start · N ms .* · (just now|\d+ \w+ ago)$/m);
    assert.match(out, /^errors: {3}none$/m);
  }));

test('status --json: the status with the session it came from', () =>
  withPlayBack('status', async (root) => {
    const { code, out } = await cli('status', ['--json'], root);
    assert.equal(code, 0);
    const status = JSON.parse(out);
    assert.equal(status.root, root);
    assert.equal(status.enginePid, process.pid);
    assert.equal(status.frontEnd, 'cli');
    assert.equal(status.state, 'running');
    assert.equal(status.version, 1);
    assert.equal(status.lastReload.outcome, 'started');
    assert.deepEqual(status.errors, []);
  }));

test('wait: the version that serves, exit 0', () =>
  withPlayBack('wait-serving', async (root) => {
    const { code, out, err } = await cli('wait', ['--timeout', '10s'], root);
    assert.equal(err, '');
    assert.equal(code, 0);
    assert.equal(out, `v2 serves (pid ${process.pid}, restart, waited 0 ms)\n`);
  }));

test('wait: a failed build prints file:line:col: message and exits 1', () =>
  withPlayBack('wait-build-failed', async (root) => {
    const { code, out, err } = await cli('wait', ['--timeout', '10s'], root);
    assert.equal(out, '');
    assert.equal(err, '/x/main.go:3:1: undefined: x\nbuild failed: 1 error; v1 still serving\n');
    assert.equal(code, 1);
  }));

test('wait: a crash on start prints the panic line and exits 3', () =>
  withPlayBack('wait-crashed', async (root) => {
    const { code, err } = await cli('wait', ['--timeout', '10s'], root);
    assert.equal(err, '/x/main.go:7: panic: boom\nv2 crashed on start (exited with status 2): panic: boom; v1 serves again\n');
    assert.equal(code, 3);
  }));

test('wait --json: the answer as the endpoint gave it', () =>
  withPlayBack('wait-build-failed', async (root) => {
    const { code, out } = await cli('wait', ['--json', '--timeout', '10s'], root);
    assert.equal(code, 1);
    const answer = JSON.parse(out);
    assert.equal(answer.outcome, 'build-failed');
    assert.deepEqual(answer.errors[0], { file: '/x/main.go', line: 3, column: 1, severity: 'error', message: 'undefined: x', source: 'go build', related: [] });
  }));

test('logs, then logs --follow until the session ends', () =>
  withPlayBack('logs-follow', async (root, fake) => {
    const client = await ControlClient.connect({ cwd: root });
    try {
      const last = await client.logs({ lines: 3 });
      assert.deepEqual(
        last.entries.map((e) => e.text),
        ['fake build', 'v1 started · start · N ms (detect N · build N · stop N · start N) · pid N'],
      );
      const followed: string[] = [];
      const since = await client.logs({ sinceVersion: 1, follow: true }, (entry) => followed.push(entry.text));
      assert.equal(since.entries.length, 1);
      assert.equal(await since.followed, 'the session stopped');
      assert.deepEqual(followed, ['v2 restarted · save · N ms (detect N · build N · stop N · start N) · pid N · main.go (new) +1/-0']);
    } finally {
      client.dispose();
    }
    assert.equal(fake.sent.length, 3);
  }));

test('restart, then stop', () =>
  withPlayBack('restart-stop', async (root) => {
    const client = await ControlClient.connect({ cwd: root });
    try {
      assert.deepEqual(await client.restart(), { queued: true });
      assert.deepEqual(await client.stop(), { stopping: true });
    } finally {
      client.dispose();
    }
  }));

test('a wrong token is refused with a ControlError', () =>
  withPlayBack('wrong-token', async (_root, fake) => {
    const refused = await ControlClient.connectTo({ ...fake.record, token: 'not-the-token' }).catch((err: unknown) => err);
    assert.ok(refused instanceof ControlError);
    assert.equal(refused.code, 'unauthorized');
  }));

test('no session for the folder: exit 5 with where sessions run', async () => {
  const elsewhere = tempDir('hr-elsewhere-');
  await withPlayBack('status', async (root) => {
    const { code, err } = await cli('status', [], elsewhere);
    assert.equal(code, 5);
    assert.equal(err, `hotreload: no Hot Reload session runs for ${elsewhere} (sessions run in: ${root})\n`);
  });
});

test('bad usage: exit 2', async () => {
  assert.throws(() => parseControlArgs('status', ['--timeout', '5s'], '/'), /--timeout is not an option of status/);
  assert.throws(() => parseControlArgs('wait', ['--timeout', 'soon'], '/'), /--timeout takes a duration/);
  assert.deepEqual(parseControlArgs('logs', ['--since', 'v3', '-n', '20', '-f'], '/tmp'), {
    command: 'logs',
    query: { cwd: '/tmp' },
    cwd: '/tmp',
    json: false,
    timeoutMs: 60_000,
    sinceVersion: 3,
    lines: 20,
    follow: true,
    wait: true,
  });
  assert.equal(parseControlArgs('wait', ['--timeout', '2m'], '/').timeoutMs, 120_000);
});
