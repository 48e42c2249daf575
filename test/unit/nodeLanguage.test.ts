import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNodeBuildOutput } from '../../src/engine/languages/node/buildMessages';
import { parseNodeCrash } from '../../src/engine/languages/node/crash';
import { describeEntryChoice, entryCandidates } from '../../src/engine/languages/node/entries';
import { ESBUILD_VERSION } from '../../src/engine/languages/node/esbuildLocator';
import { moduleFormat, readPackageJson } from '../../src/engine/languages/node/project';
import { portOf } from '../../src/runtime/node/hook/listen';
import { parseDuration, readProtocol } from '../../src/runtime/node/hook/protocol';
import { repoRoot } from '../support/examples';
import { tempDir, writeFile } from '../support/files';

function packageWith(files: Record<string, string>): string {
  const dir = tempDir('hr-node-entries-');
  for (const [name, text] of Object.entries(files)) writeFile(path.join(dir, name), text);
  return dir;
}

const entries = (dir: string) => entryCandidates(readPackageJson(dir)).map((c) => `${path.relative(dir, c.file)} (${c.why})`);

test('entries: main of package.json, a main in dist/ standing for its source in src/, bins, else the conventional names', () => {
  assert.deepEqual(entries(packageWith({ 'package.json': '{"main": "app.js"}', 'app.js': '', 'index.js': '' })), ['app.js (main of package.json)']);
  assert.deepEqual(entries(packageWith({ 'package.json': '{"main": "dist/server.js"}', 'src/server.ts': '' })), ['src/server.ts (main of package.json)']);
  assert.deepEqual(entries(packageWith({ 'package.json': '{"main": "./lib/api"}', 'lib/api.mjs': '' })), ['lib/api.mjs (main of package.json)']);
  assert.deepEqual(entries(packageWith({ 'package.json': '{"name": "tool", "bin": "cli.js"}', 'cli.js': '' })), ['cli.js (bin tool of package.json)']);
  assert.deepEqual(entries(packageWith({ 'package.json': '{"bin": {"a": "a.js", "b": "b.js"}}', 'a.js': '', 'b.js': '' })), [
    'a.js (bin a of package.json)',
    'b.js (bin b of package.json)',
  ]);
  assert.deepEqual(entries(packageWith({ 'package.json': '{"main": "missing.js"}', 'src/index.ts': '' })), ['src/index.ts (a conventional entry name)']);
  assert.deepEqual(entries(packageWith({ 'package.json': '{}', 'src/server.ts': '', 'index.cjs': '' })), [
    'src/server.ts (a conventional entry name)',
    'index.cjs (a conventional entry name)',
  ]);
  assert.deepEqual(entries(packageWith({ 'package.json': '{}', 'lib.ts': '' })), []);
  const dir = packageWith({ 'package.json': '{}', 'src/server.ts': '', 'main.js': '' });
  assert.equal(
    describeEntryChoice(dir, entryCandidates(readPackageJson(dir))),
    'found 2 entry files: src/server.ts (a conventional entry name), main.js (a conventional entry name); pick one with --entry src/server.ts, the hotReload.entry setting or Hot Reload: Select Target',
  );
});

test('package.json: type, a file that is not JSON is a problem, and the output format follows the entry’s extension first', () => {
  assert.equal(readPackageJson(packageWith({ 'package.json': '{"type": "module"}' })).type, 'module');
  assert.match(readPackageJson(packageWith({ 'package.json': '{ nope' })).problem ?? '', /package\.json cannot be read/);
  assert.equal(moduleFormat('/a/x.ts', { type: 'module' }), 'esm');
  assert.equal(moduleFormat('/a/x.ts', { type: 'commonjs' }), 'cjs');
  assert.equal(moduleFormat('/a/x.mts', { type: 'commonjs' }), 'esm');
  assert.equal(moduleFormat('/a/x.cjs', { type: 'module' }), 'cjs');
});

const CRASH = `node-ts: starting
/p/src/greeting.ts:2
if (mood) throw new Error(\`no greeting today: \${mood}\`);
          ^


Error: no greeting today: grumpy
    at Object.<anonymous> (/p/src/greeting.ts:2:17)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Object.<anonymous> (/p/node_modules/express/index.js:4:2)
    at node:internal/main/run_main_module:28:49

Node.js v20.20.2
`;

test('crash: the last uncaught exception at its first frame in the program’s own sources, with every frame related', () => {
  const d = parseNodeCrash(CRASH, '/p');
  assert.ok(d);
  assert.equal(d.message, 'Error: no greeting today: grumpy');
  assert.deepEqual([d.file, d.line, d.column, d.source], ['/p/src/greeting.ts', 2, 17, 'exception']);
  assert.deepEqual(
    d.related.map((r) => `${r.file}:${r.line} ${r.message}`),
    ['/p/src/greeting.ts:2 Object.<anonymous>', '/p/node_modules/express/index.js:4 Object.<anonymous>'],
  );
  // A frame in node_modules is not the user's code; file URLs (ES modules) are paths; frames with no position are skipped.
  const esm = parseNodeCrash(
    'TypeError: x is not a function\n    at Array.map (<anonymous>)\n    at run (/p/node_modules/lib/a.js:1:1)\n    at async main (file:///p/server.mjs:7:3)\n\nNode.js v22.1.0\n',
    '/p',
  );
  assert.deepEqual([esm?.message, esm?.file, esm?.line], ['TypeError: x is not a function', '/p/server.mjs', 7]);
  assert.equal(parseNodeCrash('Error: logged, not thrown\n    at f (/p/a.js:1:1)\n', '/p'), undefined, 'no crash without Node’s closing line');
  assert.equal(parseNodeCrash('all good\n', '/p'), undefined);
});

test('a custom build command’s TypeScript and esbuild errors', () => {
  const output = [
    'src/a.ts(3,5): error TS2322: Type "x" is not assignable to type "number".',
    "src/b.ts:7:1 - error TS1005: ';' expected.",
    '✘ [ERROR] Could not resolve "nope"',
    '',
    '    src/c.ts:1:7:',
    '      1 │ import "nope";',
  ].join('\n');
  assert.deepEqual(
    parseNodeBuildOutput(output, '/p').map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`),
    [
      '/p/src/a.ts:3:5 TS2322: Type "x" is not assignable to type "number".',
      "/p/src/b.ts:7:1 TS1005: ';' expected.",
      '/p/src/c.ts:1:7 Could not resolve "nope"',
    ],
  );
});

test('hook: the protocol read from the environment, descriptors taken only with our pid, variables removed', () => {
  const env: NodeJS.ProcessEnv = {
    LISTEN_FDS: '1',
    LISTEN_PID: '42',
    LISTEN_FDNAMES: 'http',
    HOTRELOAD_NOTIFY_FD: '4',
    HOTRELOAD_CONTROL_FD: '5',
    HOTRELOAD_PUBLIC_PORT: '8080',
    HOTRELOAD_DRAIN_TIMEOUT: '1m30s',
    HOTRELOAD_VERSION: '7',
    HOTRELOAD_PLUGINS: '{"app": "/w/p3/server.cjs"}',
    PATH: '/bin',
  };
  const protocol = readProtocol({ ...env }, 42);
  assert.deepEqual(protocol, {
    listenFd: 3,
    notifyFd: 4,
    controlFd: 5,
    publicPort: 8080,
    drainMs: 90_000,
    version: 7,
    startupPatches: { app: '/w/p3/server.cjs' },
  });
  assert.equal(readProtocol({ ...env }, 43)?.listenFd, undefined, 'LISTEN_PID names another process');
  const left = { ...env };
  readProtocol(left, 42);
  assert.deepEqual(Object.keys(left).sort(), ['HOTRELOAD_DRAIN_TIMEOUT', 'HOTRELOAD_VERSION', 'PATH'], 'children do not inherit the descriptors');
  assert.equal(readProtocol({ PATH: '/bin' }, 42), undefined, 'no engine: nothing to do');
  assert.deepEqual(['5000', '5s', '250ms', '1h', 'soon', ''].map(parseDuration), [5000, 5000, 250, 3_600_000, undefined, undefined]);
});

test('hook: the port a listen call asks for', () => {
  assert.deepEqual(
    [[8080], ['8080', '127.0.0.1'], [{ port: 8080, host: '::' }], [0], ['/tmp/sock'], [{ fd: 3 }], [8080, () => undefined]].map((args) => portOf(args)),
    [8080, 8080, 8080, undefined, undefined, undefined, 8080],
  );
});

test('the shipped keep() is the one the TypeScript example copies, and the esbuild installed for projects is the one the extension is built with', () => {
  assert.equal(
    fs.readFileSync(path.join(repoRoot, 'examples', 'node-ts', 'src', 'hotreload.ts'), 'utf8'),
    fs.readFileSync(path.join(repoRoot, 'node', 'hotreload', 'index.ts'), 'utf8'),
  );
  const built = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', 'esbuild', 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(ESBUILD_VERSION, built);
});
