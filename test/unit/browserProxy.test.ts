/**
 * The engine's proxy with browser reload on, against a real HTTP backend: each kind of response
 * passes through intact, with the script injected exactly where it belongs or not at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import { scriptSrc } from '../../src/engine/browser/pages';
import { BROWSER, expectInjected, PAGE, request, TAG, withProxy } from '../support/pageBackend';

test('browser proxy: an identity page gets the script after <head>, its Content-Length grown by the tag; the ETag, which no longer fits, is dropped', async () => {
  await withProxy(async (port) => {
    const r = await request(port, '/plain', { headers: BROWSER });
    expectInjected(r.text);
    assert.equal(r.headers['content-length'], String(r.raw.length));
    assert.equal(r.headers['transfer-encoding'], undefined);
    assert.equal(r.headers.etag, undefined);
    const gzip = await request(port, '/gzip', { headers: BROWSER });
    assert.equal(gzip.headers['content-length'], undefined, 'compressed again: its length is unknown until the end');
    assert.equal(gzip.headers['transfer-encoding'], 'chunked');
  });
});

test('browser proxy: a gzip page is opened, injected and gzipped again', async () => {
  await withProxy(async (port) => {
    const r = await request(port, '/gzip', { headers: BROWSER });
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.equal(r.raw[0], 0x1f, 'still gzip on the wire');
    expectInjected(r.text);
  });
});

test('browser proxy: a brotli page is opened, injected and compressed again', async () => {
  await withProxy(async (port) => {
    const r = await request(port, '/br', { headers: BROWSER });
    assert.equal(r.headers['content-encoding'], 'br');
    expectInjected(r.text);
  });
});

for (const path of ['/stream', '/stream-gzip']) {
  test(`browser proxy: a streamed page (${path}) arrives, script included, before the handler has finished`, async () => {
    await withProxy(async (port, b) => {
      const received: Buffer[] = [];
      const gzip = path.endsWith('gzip');
      const inflate = gzip ? zlib.createGunzip() : undefined;
      const seen: string[] = [];
      inflate?.on('data', (d: Buffer) => seen.push(d.toString()));
      const done = new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path, headers: BROWSER, agent: false }, (res) => {
            res.on('data', (c: Buffer) => {
              received.push(c);
              if (inflate) inflate.write(c);
              else seen.push(c.toString());
            });
            res.on('end', () => (inflate ? inflate.end(() => resolve()) : resolve()));
          })
          .on('error', reject);
      });
      // The handler is still waiting: whatever arrives now arrived while it was unfinished.
      const deadline = Date.now() + 5000;
      while (!seen.join('').includes('</head>') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const early = seen.join('');
      assert.ok(early.includes('</head>'), `the head arrived before the handler finished (got ${JSON.stringify(early)})`);
      assert.ok(TAG.test(early), 'with the script in it');
      assert.ok(!early.includes('<body>'), 'and nothing the handler had not yet written');
      b.finishStream();
      await done;
      expectInjected(seen.join(''));
    });
  });
}

test('browser proxy: a client that leaves in the middle of a rewritten page closes it at the program too', { timeout: 10_000 }, async () => {
  await withProxy(async (port, b) => {
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/stream-gzip', headers: BROWSER, agent: false }, (res) => {
          res.once('data', () => {
            res.destroy();
            resolve();
          });
        })
        .on('error', reject);
    });
    await b.streamAbandoned;
  });
});

test('browser proxy: a page with a CSP nonce gets a script carrying that nonce, the policy untouched', async () => {
  await withProxy(async (port) => {
    const r = await request(port, '/csp', { headers: BROWSER });
    const tag = expectInjected(r.text);
    assert.match(tag, / nonce="r4nd0m\+\/="/);
    assert.equal(r.headers['content-security-policy'], "default-src 'self'; script-src 'self' 'nonce-r4nd0m+/='; object-src 'none'");
  });
});

test('browser proxy: an htmx fragment, a fetch and a non-HTML navigation pass byte for byte', async () => {
  await withProxy(async (port) => {
    const htmx = await request(port, '/fragment', { headers: { ...BROWSER, 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors', 'HX-Request': 'true' } });
    assert.equal(htmx.text, '<div id="row"><head>not a page</head></div>');
    // htmx with hx-boost on a link is still a fragment request, though the browser is not asked for a page.
    const boosted = await request(port, '/fragment', { headers: { accept: 'text/html', 'HX-Request': 'true', 'HX-Boosted': 'true' } });
    assert.equal(boosted.text, '<div id="row"><head>not a page</head></div>');
    const xhr = await request(port, '/fragment', { headers: { accept: 'text/html', 'X-Requested-With': 'XMLHttpRequest' } });
    assert.equal(xhr.text, '<div id="row"><head>not a page</head></div>');
    const fetched = await request(port, '/plain', { headers: { ...BROWSER, 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' } });
    assert.equal(fetched.text, PAGE);
    assert.equal(fetched.headers['content-length'], String(Buffer.byteLength(PAGE)), 'untouched: its length and ETag too');
    assert.equal(fetched.headers.etag, '"v1"');
    const json = await request(port, '/json', { headers: BROWSER });
    assert.equal(json.text, '{"html":"<head>"}');
  });
});

test('browser proxy: a multipart upload with a query string reaches the program intact; the page it answers gets the script', async () => {
  await withProxy(async (port) => {
    const boundary = '----hotreload' + randomBytes(8).toString('hex');
    const file = randomBytes(300_000);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello & <b>\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await request(port, '/upload?id=7&name=a%20b&x=%26', {
      method: 'POST',
      headers: { ...BROWSER, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(body.length) },
      body,
    });
    const digest = createHash('sha256').update(body).digest('hex');
    const expected = PAGE.replace('<p>Grüße</p>', `<p id="got">?id=7&name=a%20b&x=%26 multipart/form-data; boundary=${boundary} ${body.length} ${digest}</p>`);
    expectInjected(r.text, expected);
  });
});

test('browser proxy: a websocket is tunnelled both ways, untouched', async () => {
  await withProxy(async (port) => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET /ws?room=1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    let data = Buffer.alloc(0);
    const until = async (ok: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.ok(ok(), `got ${JSON.stringify(data.toString('latin1'))}`);
    };
    socket.on('data', (c: Buffer) => (data = Buffer.concat([data, c])));
    await until(() => data.includes('\r\n\r\n') && data.length >= data.indexOf('\r\n\r\n') + 4 + 7);
    const head = data.subarray(0, data.indexOf('\r\n\r\n')).toString();
    assert.match(head, /^HTTP\/1\.1 101 /);
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    assert.match(head, new RegExp(`Sec-WebSocket-Accept: ${accept.replace(/[+/]/g, '\\$&')}`));
    const frames = data.subarray(data.indexOf('\r\n\r\n') + 4);
    assert.deepEqual([...frames.subarray(0, 7)], [0x81, 5, ...Buffer.from('hello')]);
    const mask = randomBytes(4);
    const payload = Buffer.from('ping!');
    socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]));
    const before = data.length;
    await until(() => data.length >= before + 7);
    assert.deepEqual([...data.subarray(before, before + 7)], [0x81, 5, ...payload]);
    socket.destroy();
  });
});

test('browser proxy: with browser reload off nothing is injected and the engine serves no endpoint', async () => {
  await withProxy(async (port) => {
    for (const path of ['/plain', '/gzip']) {
      const r = await request(port, path, { headers: BROWSER });
      assert.equal(r.text, PAGE);
      assert.equal(r.headers['content-length'], String(r.raw.length));
      assert.equal(r.headers.etag, '"v1"');
    }
    assert.equal((await request(port, '/__hotreload/client.js')).status, 404, "the program's own 404");
  }, false);
});

test('browser proxy: the script and the event stream are the engine’s own; the stream says hello with the epoch pages carry', async () => {
  await withProxy(async (port, _b, hub) => {
    const script = await request(port, '/__hotreload/client.js');
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.match(script.text, /new EventSource\(new URL\('events', endpoints\)/);
    const page = await request(port, '/plain', { headers: BROWSER });
    const epoch = /data-hotreload="([^"]+)"/.exec(page.text)?.[1];
    const hello = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/__hotreload/events', agent: false }, (res) => {
          assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
            if (text.includes('"hello"')) {
              res.destroy();
              resolve(text);
            }
          });
        })
        .on('error', reject);
    });
    assert.match(hello, /^retry: \d+\n\n/);
    assert.deepEqual(JSON.parse(/data: (.*)\n\n/.exec(hello)![1]), { type: 'hello', epoch, problem: null });
    assert.equal(epoch, hub.epoch);
  });
});

test('browser proxy: the script is referred to relative to the page, so a path prefix added by another proxy keeps working', () => {
  assert.equal(scriptSrc('/'), './__hotreload/client.js');
  assert.equal(scriptSrc('/index.html?next=/a/b/c'), './__hotreload/client.js');
  assert.equal(scriptSrc('/blog/post'), '../__hotreload/client.js');
  assert.equal(scriptSrc('/blog/post/'), '../../__hotreload/client.js');
  // What a browser resolves them to, under code-server's /proxy/<port>/ and without it.
  assert.equal(new URL(scriptSrc('/blog/post/'), 'http://x/proxy/5000/blog/post/').pathname, '/proxy/5000/__hotreload/client.js');
  assert.equal(new URL(scriptSrc('/blog/post'), 'http://x/blog/post').pathname, '/__hotreload/client.js');
});
