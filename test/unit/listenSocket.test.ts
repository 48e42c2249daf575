import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListenSocket } from '../../src/engine/strategies/handoff/listenSocket';

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A stand-in program: takes fd 3 (as go/hotreload would), accepts `n` connections, prints what each sent. */
function acceptInChild(fd: number, n: number): Promise<string[]> {
  const script = `
    const got = [];
    const server = require('net').createServer((c) => c.once('data', (d) => { got.push(String(d)); c.destroy(); if (got.length === ${n}) { console.log(JSON.stringify(got)); process.exit(0); } }));
    server.listen({ fd: 3 });
    setTimeout(() => { console.log(JSON.stringify(got)); process.exit(1); }, 5000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit', fd] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((resolve) => child.once('close', () => resolve(JSON.parse(out || '[]'))));
}

test('ListenSocket: listens without the engine ever accepting; a program that takes fd 3 gets every queued connection', async () => {
  const socket = await ListenSocket.open({ host: '127.0.0.1', port: 0 });
  const clients: net.Socket[] = [];
  try {
    assert.equal(socket.listening, true, socket.listenProblem);
    assert.ok(socket.address.port > 0);
    // Connections complete in the kernel's backlog although nobody accepts.
    for (let i = 0; i < 20; i++) {
      const c = await connect(socket.address.port);
      c.write(`client ${i}`);
      clients.push(c);
    }
    // Give the engine's event loop every chance to (wrongly) accept them.
    await sleep(200);
    const got = await acceptInChild(socket.fd, 20);
    assert.deepEqual(got.sort(), clients.map((_, i) => `client ${i}`).sort(), 'every connection waited for the program');
  } finally {
    for (const c of clients) c.destroy();
    socket.close();
  }
});

test('ListenSocket: a port in use is refused with a clear message', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  try {
    await assert.rejects(ListenSocket.open({ host: '', port }), /cannot bind \*:\d+ for the handoff socket \(EADDRINUSE\): another process listens there/);
    await assert.rejects(ListenSocket.open({ host: '127.0.0.1', port }), /EADDRINUSE/);
  } finally {
    server.close();
  }
});

test('ListenSocket: closed with the session, the port is free again', async () => {
  const socket = await ListenSocket.open({ host: '127.0.0.1', port: 0 });
  const port = socket.address.port;
  socket.close();
  await assert.rejects(connect(port), /ECONNREFUSED/);
  const again = await ListenSocket.open({ host: '127.0.0.1', port });
  again.close();
});
