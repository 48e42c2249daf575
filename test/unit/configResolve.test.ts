import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiscoverOptions, DiscoverResult } from '../../src/engine/languages/go/discover';
import { LANGUAGE_MODULES } from '../../src/engine/languages/registry';
import { normalizeSignal, resolveSettings, type ResolveOptions } from '../../src/engine/session/resolveSettings';
import type { ConfigProblem } from '../../src/engine/settings/types';
import { goAvailable } from '../support/examples';
import { tempDir, tempDirOutsideProjects, writeFile } from '../support/files';

/** A module with one main package at its root. */
function module(root = tempDir('hr-resolve-')): string {
  writeFile(path.join(root, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
  writeFile(path.join(root, 'main.go'), 'package main\n\nfunc main() {}\n');
  return root;
}

/** Discovery without go: answers with the given packages and records what it was asked. */
function fakeDiscover(relatives: string[]): { calls: [string, DiscoverOptions][]; discover: NonNullable<ResolveOptions['discover']> } {
  const calls: [string, DiscoverOptions][] = [];
  return {
    calls,
    discover: async (moduleRoot: string, opts: DiscoverOptions): Promise<DiscoverResult> => {
      calls.push([moduleRoot, opts]);
      return {
        packages: relatives.map((r) => ({ relative: r, importPath: `example.com/app/${r}`, dir: path.join(moduleRoot, r) })),
        problems: [],
      };
    },
  };
}

function errors(problems: ConfigProblem[]): string[] {
  return problems.filter((p) => p.severity === 'error').map((p) => p.message);
}

test('resolve: defaults, then .air.toml, then layers in order; arrays replace, env merges', async () => {
  const root = module();
  writeFile(path.join(root, '.air.toml'), '[build]\ndelay = 200\nexclude_dir = ["assets"]\nargs_bin = ["--air"]\n');
  const { settings, problems } = await resolveSettings(
    root,
    [
      { debounceMs: 300, env: { A: '1', B: '1' }, buildFlags: ['-race'] },
      { env: { B: '2' }, args: ['--cli'] },
    ],
    { discover: fakeDiscover(['.']).discover },
  );
  assert.deepEqual(problems, []);
  assert.ok(settings);
  assert.equal(settings.debounceMs, 300); // layer beats .air.toml
  assert.deepEqual(settings.exclude, ['assets/**', 'tmp/**', 'testdata/**']); // from .air.toml
  assert.deepEqual(settings.args, ['--cli']); // arrays replace
  assert.deepEqual(settings.env, { A: '1', B: '2' }); // records merge, later wins
  assert.deepEqual(settings.buildFlags, ['-race']);
  assert.equal(settings.gracePeriodMs, 5000); // default
  assert.equal(settings.package, '.');
  assert.equal(settings.moduleRoot, root);
});

test('resolve: relative paths become absolute against root', async () => {
  const root = module();
  writeFile(path.join(root, 'config', 'dev.env'), 'X=1\n');
  fs.mkdirSync(path.join(root, 'run'));
  const { settings, problems } = await resolveSettings(root, [
    { cwd: 'run', workDir: '.cache/hr', envFiles: ['config/dev.env'], buildCommand: 'make', binary: 'bin/app' },
  ]);
  assert.deepEqual(problems, []);
  assert.ok(settings);
  assert.equal(settings.cwd, path.join(root, 'run'));
  assert.equal(settings.workDir, path.join(root, '.cache', 'hr'));
  assert.deepEqual(settings.envFiles, [path.join(root, 'config', 'dev.env')]);
  assert.equal(settings.binary, path.join(root, 'bin', 'app'));
});

test('resolve: a missing root, or a file as root, is a clear error', async () => {
  const base = tempDir('hr-resolve-');
  const missing = await resolveSettings(path.join(base, 'nope'), []);
  assert.equal(missing.settings, undefined);
  assert.match(errors(missing.problems)[0], /root .*nope does not exist/);
  const file = writeFile(path.join(base, 'file.txt'));
  const notDir = await resolveSettings(file, []);
  assert.equal(notDir.settings, undefined);
  assert.match(errors(notDir.problems)[0], /is not a directory/);
});

test('resolve: no go.mod is an error telling to run go mod init, unless a build command is set', async (t) => {
  // No project file of any language above it either: a package.json there would make it Node's.
  const scratch = tempDirOutsideProjects(
    'hr-resolve-',
    LANGUAGE_MODULES.flatMap((row) => row.project.files),
  );
  if ('skip' in scratch) return t.skip(scratch.skip);
  const root = scratch.dir;
  const bare = await resolveSettings(root, []);
  assert.equal(bare.settings, undefined);
  assert.deepEqual(errors(bare.problems), [`no go.mod found in ${root} or any parent: run \`go mod init <name>\` there, or open the folder of your Go module`]);

  const custom = await resolveSettings(root, [{ buildCommand: 'make app', binary: 'app' }]);
  assert.deepEqual(custom.problems, []);
  assert.equal(custom.settings?.moduleRoot, root);
  assert.equal(custom.settings?.package, '');
});

test('resolve: a module in a subdirectory is found; several are an error', async () => {
  const root = tempDir('hr-resolve-');
  module(path.join(root, 'backend'));
  const fake = fakeDiscover(['.']);
  const one = await resolveSettings(root, [], { discover: fake.discover });
  assert.deepEqual(one.problems, []);
  assert.equal(one.settings?.moduleRoot, path.join(root, 'backend'));
  assert.equal(fake.calls[0][1].dir, path.join(root, 'backend'));

  module(path.join(root, 'tools'));
  const two = await resolveSettings(root, [], { discover: fake.discover });
  assert.equal(two.settings, undefined);
  assert.match(errors(two.problems)[0], /found 2 Go modules under .*: \.\/backend, \.\/tools/);
});

test('resolve: a go.work workspace opened at its top builds its one module with programs; two such modules are a choice', async () => {
  const root = tempDir('hr-resolve-work-');
  module(path.join(root, 'app'));
  writeFile(path.join(root, 'lib', 'go.mod'), 'module example.com/lib\n\ngo 1.21\n');
  writeFile(path.join(root, 'go.work'), 'go 1.21\n\nuse (\n\t./app\n\t./lib\n)\n');
  const programsIn =
    (dirs: string[]): NonNullable<ResolveOptions['discover']> =>
    async (moduleRoot, opts) => ({
      packages: dirs.includes(path.basename(opts.dir ?? moduleRoot)) ? [{ relative: '.', importPath: 'example.com/app', dir: moduleRoot }] : [],
      problems: [],
    });
  const one = await resolveSettings(root, [], { discover: programsIn(['app']) });
  assert.deepEqual(one.problems, []);
  assert.equal(one.settings?.root, root, 'the whole workspace is watched');
  assert.equal(one.settings?.moduleRoot, path.join(root, 'app'));
  assert.equal(one.settings?.package, '.');

  const two = await resolveSettings(root, [], { discover: programsIn(['app', 'lib']) });
  assert.equal(two.settings, undefined);
  assert.match(errors(two.problems)[0], /found 2 Go modules under .*: \.\/app, \.\/lib; pick one with --module-root \.\/app/);
});

test('resolve: root below the module root: discovery is limited to root, package relative to the module', async () => {
  const moduleRoot = module();
  const root = path.join(moduleRoot, 'services', 'api');
  fs.mkdirSync(root, { recursive: true });
  const fake = fakeDiscover(['./services/api']);
  const { settings, problems } = await resolveSettings(root, [], { discover: fake.discover });
  assert.deepEqual(problems, []);
  assert.equal(settings?.moduleRoot, moduleRoot);
  assert.equal(fake.calls[0][0], moduleRoot);
  assert.equal(fake.calls[0][1].dir, root);
  assert.equal(settings?.package, './services/api');

  // a package given as a path is relative to root, rewritten relative to the module root
  fs.mkdirSync(path.join(root, 'cmd', 'srv'), { recursive: true });
  const given = await resolveSettings(root, [{ package: './cmd/srv' }]);
  assert.deepEqual(given.problems, []);
  assert.equal(given.settings?.package, './services/api/cmd/srv');

  const missing = await resolveSettings(root, [{ package: './cmd/nope' }]);
  assert.match(errors(missing.problems)[0], /cmd\/nope.*does not exist/);

  const importPath = await resolveSettings(root, [{ package: 'example.com/app/cmd/x' }]);
  assert.equal(importPath.settings?.package, 'example.com/app/cmd/x');
});

test('resolve: discovery: none is an error, several use describeChoice, one is taken', async () => {
  const root = module();
  const none = await resolveSettings(root, [], { discover: fakeDiscover([]).discover });
  assert.equal(none.settings, undefined);
  assert.match(errors(none.problems)[0], new RegExp(`^no main package in ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

  const several = await resolveSettings(root, [], { discover: fakeDiscover(['./cmd/api', './cmd/worker', '.']).discover });
  assert.equal(several.settings, undefined);
  assert.deepEqual(errors(several.problems), [
    'found 3 main packages: ./cmd/api, ./cmd/worker, .; pick one with --package ./cmd/api or the hotReload.package setting',
  ]);

  const fake = fakeDiscover(['./cmd/api']);
  const one = await resolveSettings(root, [{ buildFlags: ['-tags', 'dev'], buildEnv: { GOFLAGS: '-mod=mod' } }], { discover: fake.discover });
  assert.equal(one.settings?.package, './cmd/api');
  assert.deepEqual(fake.calls[0][1].buildFlags, ['-tags', 'dev']);
  assert.equal(fake.calls[0][1].env?.GOFLAGS, '-mod=mod');

  // no discovery when the package is given or a build command is set
  const skipped = fakeDiscover(['.']);
  await resolveSettings(root, [{ package: '.' }], { discover: skipped.discover });
  await resolveSettings(root, [{ buildCommand: 'make', binary: 'x' }], { discover: skipped.discover });
  assert.equal(skipped.calls.length, 0);
});

test('resolve: discovery with the real go command', { skip: !goAvailable() && 'go not installed' }, async () => {
  const root = module();
  writeFile(path.join(root, 'cmd', 'tool', 'main.go'), 'package main\n\nfunc main() {}\n');
  const several = await resolveSettings(root, []);
  assert.match(errors(several.problems)[0], /^found 2 main packages: /);
  fs.rmSync(path.join(root, 'cmd'), { recursive: true });
  const one = await resolveSettings(root, []);
  assert.deepEqual(one.problems, []);
  assert.equal(one.settings?.package, '.');
});

test('resolve: Go missing is reported through discovery', async () => {
  const root = module();
  const { settings, problems } = await resolveSettings(root, [], { goBin: path.join(root, 'no-go') });
  assert.equal(settings, undefined);
  assert.match(errors(problems)[0], /^Go toolchain not found/);
});

test('resolve: validation errors name what is wrong', async () => {
  const root = module();
  const { settings, problems } = await resolveSettings(
    root,
    [
      {
        cwd: 'missing-dir',
        stopSignal: 'SIGNOPE' as NodeJS.Signals,
        gracePeriodMs: -1,
        debounceMs: Number.NaN,
        excludeRegex: ['ok$', '(unclosed'],
        envFiles: ['absent.env'],
        proxyPort: 70000,
        buildCommand: 'make',
      },
    ],
    { layerSources: ['hotReload settings'] },
  );
  assert.equal(settings, undefined);
  const messages = errors(problems);
  assert.ok(
    messages.some((m) => /working directory \(cwd\) .*missing-dir does not exist/.test(m)),
    messages.join('\n'),
  );
  assert.ok(messages.some((m) => /stopSignal "SIGNOPE" is not a signal name/.test(m)));
  assert.ok(messages.some((m) => /gracePeriodMs must be a number of milliseconds, 0 or more; got -1/.test(m)));
  assert.ok(messages.some((m) => /debounceMs must be/.test(m)));
  assert.ok(messages.some((m) => /excludeRegex "\(unclosed" is not a valid regular expression/.test(m)));
  assert.ok(!messages.some((m) => m.includes('ok$')));
  assert.ok(messages.some((m) => /env file .*absent\.env does not exist/.test(m)));
  assert.ok(messages.some((m) => /proxyPort must be a port number/.test(m)));
  assert.ok(messages.some((m) => /build command is set but not the binary/.test(m)));
  const signalProblem = problems.find((p) => p.message.includes('SIGNOPE'));
  assert.equal(signalProblem?.source, 'hotReload settings');
});

test('resolve: signal names are normalized', async () => {
  assert.equal(normalizeSignal('int'), 'SIGINT');
  assert.equal(normalizeSignal('SIGQUIT'), 'SIGQUIT');
  assert.equal(normalizeSignal('sighup'), 'SIGHUP');
  assert.equal(normalizeSignal('SIGFOO'), undefined);
  const root = module();
  const { settings } = await resolveSettings(root, [{ stopSignal: 'int' as NodeJS.Signals, package: '.' }]);
  assert.equal(settings?.stopSignal, 'SIGINT');
});

test('resolve: values of the wrong type from a layer are errors naming the key', async () => {
  const root = module();
  const layer = JSON.parse('{"args": "--port 80", "debounceMs": "100", "env": {"PORT": 8080}, "rerun": true}');
  const { settings, problems } = await resolveSettings(root, [layer], { layerSources: ['hotReload'], discover: fakeDiscover(['.']).discover });
  assert.equal(settings, undefined);
  const messages = errors(problems);
  assert.ok(messages.includes('args must be an array of strings, not "--port 80"'));
  assert.ok(messages.includes('debounceMs must be a number, not "100"'));
  assert.equal(messages.length, 2);
  assert.equal(problems[0].source, 'hotReload');
});

test('resolve: extensions are normalized', async () => {
  const root = module();
  const { settings } = await resolveSettings(root, [{ extensions: ['.go', '*.css', 'go'], package: '.' }]);
  assert.deepEqual(settings?.extensions, ['go', 'css']);
  const any = await resolveSettings(root, [{ extensions: ['*'], package: '.' }]);
  assert.deepEqual(any.settings?.extensions, []);
});

test('resolve: warnings do not stop settings; a malformed .air.toml does', async () => {
  const root = module();
  writeFile(path.join(root, '.air.toml'), '[build]\ncmdd = "x"\n');
  const warned = await resolveSettings(root, [{ package: '.' }]);
  assert.ok(warned.settings);
  assert.equal(warned.problems.length, 1);
  assert.equal(warned.problems[0].severity, 'warning');

  writeFile(path.join(root, '.air.toml'), '[build\n');
  const broken = await resolveSettings(root, [{ package: '.' }]);
  assert.equal(broken.settings, undefined);
  assert.equal(broken.problems[0].line, 1);

  const ignored = await resolveSettings(root, [{ package: '.' }], { ignoreAirToml: true });
  assert.ok(ignored.settings);
});

test('resolve: airTomlPath reads the -c file instead of .air.toml', async () => {
  const root = module();
  writeFile(path.join(root, '.air.toml'), '[build]\ndelay = 1\n');
  writeFile(path.join(root, 'conf', 'air.dev.toml'), '[build]\ndelay = 2\n[screen]\nclear_on_rebuild = true\n');
  const { settings, problems } = await resolveSettings(root, [{ package: '.' }], { airTomlPath: 'conf/air.dev.toml' });
  assert.deepEqual(problems, []);
  assert.equal(settings?.debounceMs, 2);
  assert.equal(settings?.clearOnReload, true);

  const missing = await resolveSettings(root, [{ package: '.' }], { airTomlPath: 'conf/none.toml' });
  assert.equal(missing.settings, undefined);
  assert.match(errors(missing.problems)[0], /does not exist/);
});

test("resolve: a later layer clears air's build command with an empty string", async () => {
  const root = module();
  writeFile(path.join(root, '.air.toml'), '[build]\ncmd = "go build -o ./tmp/main ."\nbin = "./tmp/main"\n');
  const withAir = await resolveSettings(root, []);
  assert.equal(withAir.settings?.buildCommand, 'go build -o ./tmp/main .');
  assert.equal(withAir.settings?.package, '.');
  const cleared = await resolveSettings(root, [{ buildCommand: '', binary: '' }], { discover: fakeDiscover(['.']).discover });
  assert.deepEqual(cleared.problems, []);
  assert.equal(cleared.settings?.buildCommand, undefined);
  assert.equal(cleared.settings?.binary, undefined);
});

test('resolve: the work dir may not be root', async () => {
  const root = module();
  const { problems } = await resolveSettings(root, [{ workDir: '.', package: '.' }]);
  assert.match(errors(problems)[0], /work dir/);
});
