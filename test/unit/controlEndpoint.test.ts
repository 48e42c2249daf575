/**
 * The control endpoint on a session with a fake builder and strategy, over its real socket: what it
 * answers is held to the golden transcripts (test/fixtures/protocol/control; HR_UPDATE_GOLDEN=1
 * rewrites them), which the client's test plays back. Also: the socket is 0600 in a 0700 folder, a
 * wrong token is refused, and a record left by a killed engine is removed, never connected to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { tempDir } from '../support/files';

// Before anything reads it: this test's records and sockets live in a run directory of its own.
process.env.XDG_RUNTIME_DIR = tempDir('hr-run-');

import { ControlEndpoint } from '../../src/engine/control/endpoint';
import { liveRecords } from '../../src/engine/control/discovery';
import { LineChannel } from '../../src/engine/control/lineChannel';
import type { Settings } from '../../src/engine';
import { failed, startFakeSession, type Harness } from '../support/fakeParts';
import { normalize, readTranscript, updating, writeTranscript, type TranscriptLine } from '../support/controlGolden';
import { eventually } from '../support/waiting';

/** A raw connection to the endpoint, recording both directions. */
class Wire {
  readonly transcript: TranscriptLine[] = [];
  private readonly received: Record<string, unknown>[] = [];
  private taken = 0;
  private readonly channel: LineChannel;
  closed = false;

  constructor(socket: net.Socket) {
    this.channel = new LineChannel(
      socket,
      (line) => {
        const message = JSON.parse(line) as Record<string, unknown>;
        this.received.push(message);
        this.transcript.push({ server: message });
      },
      () => (this.closed = true),
    );
  }

  static async open(socketPath: string): Promise<Wire> {
    const socket = net.connect(socketPath);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Wire(socket);
  }

  send(message: Record<string, unknown>): void {
    this.transcript.push({ client: message });
    this.channel.send(message);
  }

  /** The next message from the endpoint. */
  next(): Promise<Record<string, unknown>> {
    return eventually('a message from the endpoint', () => (this.taken < this.received.length ? this.received[this.taken++] : undefined));
  }

  async call(id: number, method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    this.send({ id, method, params });
    return this.next();
  }

  close(): void {
    this.channel.close();
  }
}

interface Scenario {
  name: string;
  settings?: Partial<Settings>;
  act(wire: Wire, h: Harness, token: string): Promise<void>;
}

const running = (h: Harness, version = 1) =>
  eventually(`v${version} running`, () => h.session.currentVersion === version && h.session.currentState === 'running');

const SCENARIOS: Scenario[] = [
  {
    name: 'status',
    async act(wire, h, token) {
      await running(h);
      await wire.call(1, 'hello', { protocol: 1, token });
      await wire.call(2, 'status');
    },
  },
  {
    name: 'wait-serving',
    async act(wire, h, token) {
      await running(h);
      await h.session.catchUp();
      await wire.call(1, 'hello', { protocol: 1, token });
      fs.writeFileSync(path.join(h.dir, 'main.go'), 'package main // v2');
      // v2 counts as up once its crash window has passed on the session's clock.
      await h.movingTime(wire.call(2, 'wait', { timeoutMs: 10000 }));
    },
  },
  {
    name: 'wait-build-failed',
    async act(wire, h, token) {
      await running(h);
      await h.session.catchUp();
      h.builder.auto = () => failed('build failed: 1 error');
      await wire.call(1, 'hello', { protocol: 1, token });
      fs.writeFileSync(path.join(h.dir, 'main.go'), 'broken');
      await wire.call(2, 'wait', { timeoutMs: 10000 });
      await wire.call(3, 'status');
    },
  },
  {
    name: 'wait-crashed',
    settings: { crashWindowMs: 5000 },
    async act(wire, h, token) {
      await running(h);
      await h.session.catchUp();
      await wire.call(1, 'hello', { protocol: 1, token });
      fs.writeFileSync(path.join(h.dir, 'main.go'), 'panics');
      wire.send({ id: 2, method: 'wait', params: { timeoutMs: 10000 } });
      await eventually('v2 deployed', () => h.strategy.programs.length === 2);
      h.strategy.last.die(2, 'panic: boom\n');
      // The answer comes once v1 serves again (the rollback is a timer of the session's clock).
      await h.movingTime(wire.next());
    },
  },
  {
    name: 'logs-follow',
    async act(wire, h, token) {
      await running(h);
      await wire.call(1, 'hello', { protocol: 1, token });
      await wire.call(2, 'logs', { lines: 3 });
      await wire.call(3, 'logs', { sinceVersion: 1, follow: true });
      await h.save('main.go', 'v2');
      await running(h, 2);
      await eventually('the report of v2 followed', () =>
        wire.transcript.some((l) => 'server' in l && l.server.method === 'log' && String((l.server.params as { text: string }).text).startsWith('v2 ')),
      );
      await h.session.dispose();
      await eventually('the end of the follow', () => wire.transcript.some((l) => 'server' in l && l.server.method === 'end'));
    },
  },
  {
    name: 'restart-stop',
    async act(wire, h, token) {
      await running(h);
      await wire.call(1, 'hello', { protocol: 1, token });
      await wire.call(2, 'restart');
      await running(h, 2);
      await wire.call(3, 'stop');
      await eventually('the session stopped', () => h.session.currentState === 'stopped');
    },
  },
  {
    name: 'refused',
    async act(wire, h) {
      await running(h);
      await wire.call(1, 'status');
      await eventually('the endpoint closed the connection', () => wire.closed);
    },
  },
  {
    name: 'wrong-token',
    async act(wire, h) {
      await running(h);
      await wire.call(1, 'hello', { protocol: 1, token: 'not-the-token' });
      await eventually('the endpoint closed the connection', () => wire.closed);
    },
  },
  {
    name: 'bad-requests',
    async act(wire, h, token) {
      await running(h);
      await wire.call(1, 'hello', { protocol: 1, token });
      await wire.call(2, 'launch');
      await wire.call(3, 'wait', { timeoutMs: 'soon' });
      await wire.call(4, 'logs', { lines: -1 });
    },
  },
];

for (const scenario of SCENARIOS) {
  test(`control endpoint: ${scenario.name} (golden ${scenario.name}.jsonl)`, async () => {
    let endpoint: ControlEndpoint | undefined;
    const h = await startFakeSession(scenario.settings ?? {}, async (session) => {
      endpoint = await ControlEndpoint.open(session, { frontEnd: 'cli', stop: () => session.dispose() });
    });
    const wire = await Wire.open(endpoint!.record.socket);
    try {
      await scenario.act(wire, h, endpoint!.record.token);
    } finally {
      wire.close();
      await h.dispose();
      await endpoint!.dispose();
    }
    const transcript = normalize(wire.transcript, h.dir, endpoint!.record.token) as TranscriptLine[];
    if (updating) writeTranscript(scenario.name, transcript);
    assert.deepEqual(transcript, readTranscript(scenario.name));
  });
}

test('the socket is 0600 in a 0700 folder, and its record names it and the project', async () => {
  let endpoint: ControlEndpoint | undefined;
  const h = await startFakeSession({}, async (session) => {
    endpoint = await ControlEndpoint.open(session, { frontEnd: 'vscode', stop: () => undefined });
  });
  try {
    const socket = endpoint!.record.socket;
    assert.equal(fs.statSync(socket).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(socket)).mode & 0o777, 0o700);
    const records = liveRecords();
    assert.deepEqual(
      records.map((r) => [r.root, r.frontEnd, r.service, r.pid]),
      [[h.dir, 'vscode', null, process.pid]],
    );
  } finally {
    await h.dispose();
    await endpoint!.dispose();
  }
  assert.equal(fs.existsSync(endpoint!.record.socket), false, 'the socket goes with the endpoint');
  assert.deepEqual(liveRecords(), []);
});

test("a killed engine's record and socket are removed when listed, and never connected to", async () => {
  const dir = process.env.XDG_RUNTIME_DIR!;
  const run = path.join(dir, 'hotreload');
  fs.mkdirSync(run, { recursive: true, mode: 0o700 });
  // A socket nobody accepts on any more, as a SIGKILLed engine leaves it, and its record.
  const socket = path.join(run, 'control-999999-1.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  // Closing a listening Unix socket unlinks it in Node: hold a copy of the file by a hard link first.
  fs.linkSync(socket, `${socket}.kept`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.renameSync(`${socket}.kept`, socket);
  const record = path.join(run, 'control-999999-1.json');
  fs.writeFileSync(
    record,
    JSON.stringify({ protocol: 1, pid: 999999, startTime: 1, root: '/nowhere', service: null, frontEnd: 'cli', socket, token: 'x', startedAt: 0 }),
    { mode: 0o600 },
  );
  assert.deepEqual(liveRecords(), [], 'a dead engine is no session');
  assert.equal(fs.existsSync(record), false, 'its record is removed');
  assert.equal(fs.existsSync(socket), false, 'its socket is removed');
});
