/**
 * A debugger connection runs code as the engine's user, so one from another user is refused: the
 * kernel's socket table names the owner of the client's end of a loopback connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { fromAnotherUser } from '../../src/engine/debug/sameUser';

/** The server's end of one connection made by `connect`, judged by fromAnotherUser. */
async function judge(connect: (port: number) => void): Promise<boolean> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    connect((server.address() as net.AddressInfo).port);
    const socket = await accepted;
    const verdict = fromAnotherUser(socket);
    socket.destroy();
    return verdict;
  } finally {
    server.close();
  }
}

test('a connection from this user is not refused', async () => {
  let client: net.Socket | undefined;
  assert.equal(await judge((port) => (client = net.connect(port, '127.0.0.1'))), false);
  client?.destroy();
});

test('a connection from another user is refused', { skip: process.getuid?.() !== 0 && 'needs root to connect as another user' }, async () => {
  let child: ReturnType<typeof spawn> | undefined;
  const verdict = await judge((port) => {
    const script = `require('net').connect(${port}, '127.0.0.1').on('connect', () => setTimeout(() => process.exit(0), 2000))`;
    child = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534, stdio: 'ignore' });
  });
  child?.kill();
  assert.equal(verdict, true);
});
