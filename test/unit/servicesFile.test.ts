import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readServices } from '../../src/engine';
import { startOrder } from '../../src/engine/system/serviceOrder';
import { servicesOf, servicesToml } from '../../src/engine/system/servicesFromTargets';
import { tempDir } from '../support/files';

function folderWith(files: Record<string, string>): string {
  const dir = tempDir('hr-services-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('hotreload.toml: each service’s kind, folder, port, dependencies, readiness and settings', () => {
  const dir = folderWith({
    'web/x': '',
    'hotreload.toml': `
[services.db]
command = "docker compose up db"
ready = { log = "ready to accept" }

[services.api]
go = "./cmd/api"
port = 8081
strategy = "handoff"
env = { LOG = "debug" }
dependsOn = ["db"]
ready = { http = "/healthz" }

[services.web]
node = "server.ts"
dir = "web"
port = "auto"
dependsOn = ["api"]
`,
  });
  const { services, problems, file } = readServices(dir);
  assert.deepEqual(problems, []);
  assert.equal(file, path.join(dir, 'hotreload.toml'));
  const [db, api, web] = services;
  assert.equal(db.kind, 'command');
  assert.equal(db.ready.kind, 'log');
  assert.equal(api.kind, 'go');
  assert.equal(api.target, './cmd/api');
  assert.equal(api.port, 8081);
  assert.deepEqual(api.ready, { kind: 'http', path: '/healthz' });
  assert.deepEqual(JSON.parse(JSON.stringify(api.settings)), { strategy: 'handoff', env: { LOG: 'debug' } });
  assert.equal(web.dir, path.join(dir, 'web'));
  assert.equal(web.port, 'auto');
  assert.deepEqual(web.ready, { kind: 'listens' }, 'a port means ready once it accepts');
  assert.deepEqual(db.ready.kind === 'log' && db.ready.pattern.test('db: ready to accept connections'), true);
});

test('hotreload.toml mistakes are clear problems, and give no services', () => {
  const cases: [string, RegExp][] = [
    ['[services.a]\ngo = "./a"\ncommand = "x"', /sets go and command: set exactly one/],
    ['[services.a]\nport = 80', /names nothing to run/],
    ['[services.a]\ngo = "./a"\ndependsOn = ["b"]', /depends on "b", which is not a service here/],
    ['[services.a]\ngo = "./a"\ndependsOn = ["b"]\n[services.b]\ngo = "./b"\ndependsOn = ["a"]', /cycle: a → b → a/],
    ['[services.a]\ngo = "./a"\nready = { http = "/h" }', /needs a port/],
    ['[services.a]\ngo = "./a"\nport = 70000', /port must be a port number/],
    ['[services.a]\ngo = "./a"\nstrtegy = "handoff"', /unknown key "strtegy"/],
    ['[services.a]\ngo = "./a"\nready = { log = "(" }', /not a regular expression/],
    ['[services]', /names no service/],
    ['[services.a\ngo = 1', /not valid TOML/],
  ];
  for (const [text, expected] of cases) {
    const { services, problems } = readServices(folderWith({ 'hotreload.toml': text }));
    assert.deepEqual(services, [], text);
    assert.ok(
      problems.some((p) => p.severity === 'error' && expected.test(p.message)),
      `${text}\n${JSON.stringify(problems)}`,
    );
  }
});

test('a Procfile is read as plain commands; a folder with neither file has no services', () => {
  const { services, problems } = readServices(folderWith({ Procfile: '# the app\nweb: node server.js\nworker: ./bin/worker --queue jobs\n' }));
  assert.deepEqual(problems, []);
  assert.deepEqual(
    services.map((s) => [s.name, s.kind, s.target]),
    [
      ['web', 'command', 'node server.js'],
      ['worker', 'command', './bin/worker --queue jobs'],
    ],
  );
  assert.equal(readServices(folderWith({ 'x.go': '' })).file, undefined);
});

test('the start order puts every service after what it depends on, the file’s order otherwise', () => {
  const order = startOrder([
    { name: 'gateway', dependsOn: ['api', 'worker'] },
    { name: 'api', dependsOn: ['db'] },
    { name: 'worker', dependsOn: ['db'] },
    { name: 'db', dependsOn: [] },
  ]);
  assert.deepEqual(
    order.map((s) => s.name),
    ['db', 'api', 'worker', 'gateway'],
  );
});

test('services made from a folder’s programs are written as a hotreload.toml that reads back the same', () => {
  const dir = folderWith({ 'x.go': '' });
  const services = servicesOf(dir, [
    { package: './cmd/api', importPath: 'example.com/m/cmd/api', language: 'go', settings: { language: 'go', package: './cmd/api' } },
    { package: './cmd/api2', importPath: 'example.com/m/tools/api', language: 'go', settings: { language: 'go', package: './tools/api' } },
    { package: 'src/server.ts', importPath: 'src/server.ts', language: 'node', settings: { language: 'node', entry: 'src/server.ts' } },
    { package: 'npm run dev', importPath: 'package.json', language: 'node', settings: { language: 'node', command: 'npm run dev' } },
  ]);
  assert.deepEqual(
    services.map((s) => [s.name, s.kind, s.target, s.port]),
    [
      ['api', 'go', './cmd/api', 'auto'],
      ['api2', 'go', './tools/api', 'auto'],
      ['server', 'node', 'src/server.ts', 'auto'],
    ],
  );
  fs.writeFileSync(path.join(dir, 'hotreload.toml'), servicesToml(services));
  const read = readServices(dir);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(
    read.services.map((s) => [s.name, s.kind, s.target, s.port, s.ready.kind]),
    services.map((s) => [s.name, s.kind, s.target, s.port, 'listens']),
  );
});
