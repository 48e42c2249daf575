import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { injectionPoint, SCAN_LIMIT, ScriptInjector } from '../../src/engine/browser/injector';

const TAG = '<script src="/__hotreload/client.js"></script>';

/** The document with TAG inserted, fed to the injector in chunks of `size` bytes. */
async function inject(doc: string | Buffer, size = Infinity): Promise<string> {
  const bytes = Buffer.isBuffer(doc) ? doc : Buffer.from(doc);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(size, bytes.length)) chunks.push(bytes.subarray(i, i + Math.min(size, bytes.length)));
  const out = await buffer(Readable.from(chunks).pipe(new ScriptInjector(Buffer.from(TAG))));
  return out.toString('utf8');
}

const cases: [string, string, string][] = [
  [
    'after <head>',
    '<!DOCTYPE html><html><head><title>t</title></head><body>x</body></html>',
    '<!DOCTYPE html><html><head>§<title>t</title></head><body>x</body></html>',
  ],
  ['after <head> with attributes holding ">"', '<html><head data-x="a>b"><meta charset="utf-8">', '<html><head data-x="a>b">§<meta charset="utf-8">'],
  [
    'comments and white space first',
    '\n<!-- <head> in a comment -->\n<!doctype html>\n<HTML lang=en>\n<HEAD>\n<title>',
    '\n<!-- <head> in a comment -->\n<!doctype html>\n<HTML lang=en>\n<HEAD>§\n<title>',
  ],
  ['no head: before the first element', '<!DOCTYPE html><title>t</title><p>x', '<!DOCTYPE html>§<title>t</title><p>x'],
  ['no head or html: before <body>', '<body><p>x</p></body>', '§<body><p>x</p></body>'],
  ['text first', 'Hello <b>there</b>', '§Hello <b>there</b>'],
  [
    'a </body> in a script string is never the place',
    '<html><head><script>var s = "</body>";</script></head><body></body>',
    '<html><head>§<script>var s = "</body>";</script></head><body></body>',
  ],
  ['XML prologue', '<?xml version="1.0"?><html><head></head>', '<?xml version="1.0"?><html><head>§</head>'],
  ['<header> is not <head>', '<html><header>h</header>', '<html>§<header>h</header>'],
  ['only a doctype: at the end', '<!DOCTYPE html>', '<!DOCTYPE html>§'],
  ['empty document', '', '§'],
];

for (const [name, doc, expected] of cases) {
  test(`injector: ${name}, whole and byte by byte`, async () => {
    const want = expected.replace('§', TAG);
    assert.equal(await inject(doc), want);
    assert.equal(await inject(doc, 1), want, 'split at every byte');
    assert.equal(await inject(doc, 3), want, 'split every 3 bytes');
  });
}

test('injector: a UTF-8 byte order mark stays first; multi-byte text after the tag is intact', async () => {
  const doc = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<html><head><title>Grüße 日本</title>')]);
  const out = await inject(doc, 2);
  assert.equal(out, `\ufeff<html><head>${TAG}<title>Grüße 日本</title>`);
});

test('injector: past SCAN_LIMIT of prologue it decides with what it has, holding no more than that', async () => {
  const comment = `<!--${'x'.repeat(SCAN_LIMIT)}-->`;
  const doc = `<!DOCTYPE html>${comment}<html><head>`;
  const out = await inject(doc, 4096);
  assert.equal(out, `<!DOCTYPE html>${TAG}${comment}<html><head>`, 'before the comment that never ended within the limit');
});

test('injectionPoint: says when it needs more bytes', () => {
  assert.equal(injectionPoint('<!DOCTYPE html><he', false), undefined);
  assert.equal(injectionPoint('<!-- unfinished', false), undefined);
  assert.equal(injectionPoint('<html><head', false), undefined);
  assert.equal(injectionPoint('<html><head lang="a', false), undefined);
  assert.equal(injectionPoint('<html><head>', false), 12);
  assert.equal(injectionPoint('<html><head', true), 6, 'at the end of the stream: before the unfinished tag');
});

test('injector: bytes after the place stream through as they come, not at the end', async () => {
  const injector = new ScriptInjector(Buffer.from(TAG));
  const seen: string[] = [];
  injector.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
  injector.write('<html><head>');
  injector.write('<title>first</title>');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(seen.join(''), `<html><head>${TAG}<title>first</title>`, 'out before the document ended');
  injector.end('</head>');
  await new Promise((resolve) => injector.on('end', resolve));
  assert.equal(seen.join(''), `<html><head>${TAG}<title>first</title></head>`);
});
