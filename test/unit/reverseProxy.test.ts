import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReverseProxy } from '../../src/engine/strategies/proxy/reverseProxy';
import { eventually } from '../support/waiting';

/** A backend that answers with its name; /slow waits; /echo returns what it got. */
async function backend(name: string): Promise<{ server: http.Server; port: number; arrived: Map<string, number>; endStream(): void; close(): Promise<void> }> {
  const arrived = new Map<string, number>();
  const streams: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    arrived.set(req.url ?? '', (arrived.get(req.url ?? '') ?? 0) + 1);
    if (req.url?.startsWith('/slow')) {
      setTimeout(() => res.end(`${name} slow`), 150);
    } else if (req.url === '/echo') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.setHeader('Keep-Alive', 'timeout=99');
        res.end(JSON.stringify({ method: req.method, url: req.url, body, headers: req.headers }));
      });
    } else if (req.url === '/stream') {
      // Ends only when the test says so: the first chunk must arrive while the response is still open.
      res.write('first\n');
      streams.push(res);
    } else {
      res.end(name);
    }
  });
  server.on('upgrade', (req, socket: net.Socket) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n${name}\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    server,
    port: (server.address() as net.AddressInfo).port,
    arrived,
    endStream: () => streams.splice(0).forEach((res) => res.end('second\n')),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function request(port: number, path: string, options: { agent?: http.Agent | false; method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders; raw: string[] }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent ?? false, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, raw: res.rawHeaders }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function withProxy(fn: (proxy: ReverseProxy, port: number) => Promise<void>, waitTimeoutMs = 2000): Promise<void> {
  const proxy = new ReverseProxy({ waitTimeoutMs });
  const { port } = await proxy.listen({ host: '127.0.0.1', port: 0 });
  try {
    await fn(proxy, port);
  } finally {
    await proxy.close();
  }
}

test('reverseProxy: forwards method, path, body and headers; drops hop-by-hop headers; keeps repeated ones', async () => {
  const b = await backend('one');
  await withProxy(async (proxy, port) => {
    proxy.setActive(proxy.createBackend(b.port, 'v1'));
    const r = await request(port, '/echo', {
      method: 'POST',
      body: 'payload',
      headers: { 'X-Custom': 'yes', Connection: 'keep-alive, X-Drop', 'X-Drop': 'secret', 'Proxy-Connection': 'x', Host: 'example.test' },
    });
    const seen = JSON.parse(r.body);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/echo');
    assert.equal(seen.body, 'payload');
    assert.equal(seen.headers['x-custom'], 'yes');
    assert.equal(seen.headers.host, 'example.test', 'the client Host reaches the program');
    assert.equal(seen.headers['x-drop'], undefined, 'headers listed in Connection are hop-by-hop');
    assert.equal(seen.headers['proxy-connection'], undefined);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    assert.notEqual(r.headers['keep-alive'], 'timeout=99', "the program's Keep-Alive is not the client's");
  });
  await b.close();
});

test('reverseProxy: switching under load fails no request, keeps client connections, and lets in-flight requests finish on the old backend', async () => {
  const [one, two] = [await backend('one'), await backend('two')];
  await withProxy(async (proxy, port) => {
    const b1 = proxy.createBackend(one.port, 'v1');
    const b2 = proxy.createBackend(two.port, 'v2');
    proxy.setActive(b1);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const sockets = new Set<unknown>();
    let running = true;
    let failed = 0;
    let ok = 0;
    const loops = [0, 1, 2].map(async (i) => {
      while (running) {
        const r = await new Promise<number>((resolve) => {
          const req = http.get(
            { host: '127.0.0.1', port, path: '/', agent: i < 2 ? agent : false },
            (res) => (res.resume(), res.on('end', () => resolve(res.statusCode ?? 0))),
          );
          req.on('socket', (s) => i < 2 && sockets.add(s));
          req.on('error', () => resolve(0));
        });
        if (r === 200) ok++;
        else failed++;
      }
    });
    try {
      const slow = request(port, '/slow');
      // In flight on the old backend before the switching starts.
      await eventually('the slow request to reach backend one', () => one.arrived.get('/slow') === 1);
      for (let i = 0; i < 50; i++) {
        proxy.setActive(i % 2 === 0 ? b2 : b1);
        await sleep(5);
      }
      assert.equal((await slow).body, 'one slow', 'the request in flight finished where it started');
      const drain = proxy.drain(b2, 1000);
      proxy.setActive(b1);
      assert.equal(await drain, true, 'nothing left in flight on the old backend');
    } finally {
      // The load loops end whatever happened above (a failed assertion must not leave them spinning).
      running = false;
      await Promise.all(loops);
      agent.destroy();
    }
    assert.equal(failed, 0);
    assert.ok(ok > 50, `${ok} requests`);
    assert.ok(sockets.size <= 2, `keep-alive client connections: ${sockets.size}`);
  });
  await Promise.all([one.close(), two.close()]);
});

test('reverseProxy: with no backend requests wait, and time out with 503', async () => {
  const b = await backend('late');
  await withProxy(async (proxy, port) => {
    const waiting = request(port, '/');
    await eventually('the request to be held', () => proxy.waiting === 1);
    proxy.setActive(proxy.createBackend(b.port, 'v1'));
    assert.equal((await waiting).body, 'late');
    proxy.setActive(undefined);
    const started = Date.now();
    const r = await request(port, '/');
    assert.equal(r.status, 503);
    assert.match(r.body, /no version of the program is serving/);
    assert.ok(Date.now() - started >= 250);
  }, 300);
  await b.close();
});

test('reverseProxy: when no version is coming, waiting and new requests get a 503 saying why at once', { timeout: 30_000 }, async () => {
  const b = await backend('back');
  // A wait far longer than the test's timeout: only setUnavailable can answer these requests.
  await withProxy(async (proxy, port) => {
    const waiting = request(port, '/');
    await eventually('the request to be held', () => proxy.waiting === 1);
    proxy.setUnavailable('v1 could not listen on port 8080: address already in use');
    const held = await waiting;
    assert.equal(held.status, 503);
    assert.equal(held.headers['retry-after'], '1');
    assert.equal(held.body, 'hotreload proxy: the program is not serving: v1 could not listen on port 8080: address already in use\n');
    const page = await request(port, '/', { headers: { Accept: 'text/html,*/*' } });
    assert.equal(page.status, 503);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    assert.match(page.body, /<p>v1 could not listen on port 8080: address already in use<\/p>/);

    // A version on its way again: requests wait for it, and it serves them.
    proxy.setUnavailable(undefined);
    const next = request(port, '/');
    await eventually('the request to be held', () => proxy.waiting === 1);
    proxy.setActive(proxy.createBackend(b.port, 'v2'));
    assert.equal((await next).body, 'back');
    proxy.setUnavailable('ignored while a version serves');
    assert.equal((await request(port, '/')).body, 'back');
  }, 600_000);
  await b.close();
});

test('reverseProxy: a request refused by a backend that just died waits for the next one', async () => {
  const [dying, next] = [await backend('dying'), await backend('next')];
  await withProxy(async (proxy, port) => {
    const b1 = proxy.createBackend(dying.port, 'v1');
    proxy.setActive(b1);
    assert.equal((await request(port, '/')).body, 'dying');
    await dying.close(); // its process is gone, and the engine has not noticed yet
    const r = request(port, '/');
    await eventually('the refused request to be held', () => proxy.waiting === 1);
    proxy.backendGone(b1);
    proxy.setActive(proxy.createBackend(next.port, 'v2'));
    assert.equal((await r).body, 'next');
  });
  await next.close();
});

test('reverseProxy: streams responses as they come, and tunnels upgraded connections', async () => {
  const b = await backend('up');
  await withProxy(async (proxy, port) => {
    proxy.setActive(proxy.createBackend(b.port, 'v1'));
    let rest = '';
    const ended = new Promise<void>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/stream', agent: false }, (res) => {
        res.setEncoding('utf8');
        res.once('data', (c: string) => {
          // The backend holds the end of the response until the client has its first chunk.
          assert.equal(c, 'first\n');
          res.on('data', (more: string) => (rest += more));
          res.on('end', () => resolve());
          b.endStream();
        });
      });
    });
    await ended;
    assert.equal(rest, 'second\n', 'the first chunk arrived before the response ended');

    const socket = net.connect(port, '127.0.0.1');
    socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    await eventually('the upgrade answer', () => data.endsWith('\r\n\r\nup\n'));
    assert.match(data, /^HTTP\/1\.1 101 /);
    socket.write('ping\n');
    await eventually(
      () => `ping echoed through the tunnel (seen ${JSON.stringify(data)})`,
      () => data.endsWith('up\nping\n'),
    );
    socket.destroy();
  });
  await b.close();
});
