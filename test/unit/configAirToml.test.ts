import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goBuildPackage, parseAirToml, parseGoDuration, readAirToml, readAirTomlFile, splitCommandLine } from '../../src/engine/settings/airToml/index';
import type { ConfigProblem } from '../../src/engine/settings/types';
import { tempDir } from '../support/files';

/** A full .air.toml in the shape of air's own example (air_example.toml), every section present. */
const AIR_EXAMPLE = `#:schema https://json.schemastore.org/any.json
# air configuration for a web service

root = "."
testdata_dir = "testdata"
tmp_dir = "tmp"
env_files = [".env", "missing.env"]

[build]
  pre_cmd = ["echo before > pre_cmd.txt"]
  cmd = "go build -o ./tmp/main ."
  post_cmd = ["echo after > post_cmd.txt"]
  bin = "tmp/main"
  full_bin = "APP_ENV=dev APP_USER=air ./tmp/main"
  args_bin = ["hello", "world"]
  include_ext = ["go", "tpl", "tmpl", "html"]
  exclude_dir = ["assets", "tmp", "vendor", "frontend/node_modules"]
  include_dir = []
  include_file = [".env.local"]
  exclude_file = ["config/secret.go"]
  exclude_regex = ["_test\\\\.go"]
  exclude_unchanged = true
  ignore_dangerous_root_dir = false
  follow_symlink = false
  log = "build-errors.log"
  poll = true
  poll_interval = 750 # ms
  delay = 0 # ms
  stop_on_error = true
  send_interrupt = true
  kill_delay = "1500ms"
  rerun = true
  rerun_delay = 250

[build.windows]
  cmd = "go build -o ./tmp/main.exe ."
  bin = "tmp\\\\main.exe"

[log]
  time = false
  main_only = false
  silent = false

[color]
  main = "magenta"
  watcher = "cyan"
  build = "yellow"
  runner = "green"

[misc]
  clean_on_exit = true

[screen]
  clear_on_rebuild = true
  keep_scroll = true

[proxy]
  enabled = true
  proxy_port = 8090
  app_port = 8080
  app_start_timeout = 5000
`;

test("airToml: air's example maps completely, with no problem", () => {
  const root = tempDir('hr-air-');
  fs.writeFileSync(path.join(root, '.env'), 'A=1\n');
  fs.writeFileSync(path.join(root, '.air.toml'), AIR_EXAMPLE);
  const result = readAirToml(root);
  assert.ok(result);
  assert.deepEqual(result.problems, []);
  assert.equal(result.file, path.join(root, '.air.toml'));
  const platformBinary = process.platform === 'win32' ? path.join(root, 'tmp', 'main.exe') : path.join(root, 'tmp', 'main');
  assert.deepEqual(result.settings, {
    envFiles: [path.join(root, '.env')], // missing.env dropped, as air does
    extensions: ['go', 'tpl', 'tmpl', 'html'],
    exclude: ['assets/**', 'tmp/**', 'vendor/**', 'frontend/node_modules/**', 'config/secret.go', 'testdata/**'],
    include: [],
    alwaysInclude: ['.env.local'],
    excludeRegex: ['_test\\.go'],
    watcher: 'polling',
    pollIntervalMs: 750,
    debounceMs: 0,
    keepRunningOnBuildError: false,
    stopSignal: 'SIGINT',
    gracePeriodMs: 1500,
    rerun: true,
    rerunDelayMs: 250,
    preBuildCommands: ['echo before > pre_cmd.txt'],
    postStopCommands: ['echo after > post_cmd.txt'],
    buildCommand: process.platform === 'win32' ? 'go build -o ./tmp/main.exe .' : 'go build -o ./tmp/main .',
    package: '.',
    binary: platformBinary,
    args: ['hello', 'world'],
    env: { APP_ENV: 'dev', APP_USER: 'air' },
    cleanOnExit: true,
    clearOnReload: true,
    strategy: 'proxy',
    // air's proxy is there to reload the browser.
    browserReload: true,
    proxyPort: 8090,
    appPort: 8080,
  });
});

test('airToml: no .air.toml → undefined; .config/air.toml is found too', () => {
  const root = tempDir('hr-air-');
  assert.equal(readAirToml(root), undefined);
  fs.mkdirSync(path.join(root, '.config'));
  fs.writeFileSync(path.join(root, '.config', 'air.toml'), '[build]\ndelay = 10\n');
  assert.deepEqual(readAirToml(root)?.settings.debounceMs, 10);
});

test('airToml: -c file: read from elsewhere, paths relative to the run directory', () => {
  const root = tempDir('hr-air-');
  const confDir = path.join(root, 'conf');
  fs.mkdirSync(confDir);
  const file = path.join(confDir, 'air dev.toml');
  fs.writeFileSync(file, '[build]\ncmd = "make build"\nbin = "bin/server"\n');
  const result = readAirTomlFile(file, root);
  assert.deepEqual(result.problems, []);
  assert.equal(result.settings.buildCommand, 'make build');
  assert.equal(result.settings.package, undefined); // not a plain go build
  assert.equal(result.settings.binary, path.join(root, 'bin', process.platform === 'win32' ? 'server.exe' : 'server'));
});

test('airToml: -c file that does not exist is an error, not a throw', () => {
  const root = tempDir('hr-air-');
  const result = readAirTomlFile(path.join(root, 'nope.toml'), root);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0].severity, 'error');
  assert.match(result.problems[0].message, /does not exist/);
  assert.deepEqual(result.settings, {});
});

test('airToml: malformed TOML → one error with line and column and how to fix it', () => {
  const root = tempDir('hr-air-');
  const text = 'root = "."\n[build]\ncmd = "go build -o ./tmp/main .\ndelay = 10\n';
  fs.writeFileSync(path.join(root, '.air.toml'), text);
  let result: ReturnType<typeof readAirToml>;
  assert.doesNotThrow(() => {
    result = readAirToml(root);
  });
  assert.ok(result!);
  assert.deepEqual(result.settings, {});
  assert.equal(result.problems.length, 1);
  const [p] = result.problems;
  assert.equal(p.severity, 'error');
  assert.equal(p.source, '.air.toml');
  assert.equal(p.file, path.join(root, '.air.toml'));
  assert.equal(p.line, 3);
  assert.ok(p.column && p.column > 0);
  assert.match(p.message, /line 3, column \d+/);
  assert.match(p.message, /Fix the syntax/);
});

test('airToml: a duplicate key is a TOML error too', () => {
  const result = parseAirToml('[build]\ndelay = 1\ndelay = 2\n', { root: tempDir('hr-air-') });
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0].severity, 'error');
  assert.equal(result.problems[0].line, 3);
});

function warnings(problems: ConfigProblem[]): string[] {
  return problems.filter((p) => p.severity === 'warning').map((p) => p.message);
}

test('airToml: unknown keys are warned about with their table, line and a suggestion', () => {
  const text = 'rooot = "."\n[build]\ncmdd = "go build"\nfuture_option = 1\n[screen]\nclear_on_rebuld = true\n[weird]\nx = 1\n[build.linux]\nbinn = "x"\n';
  const { problems, settings } = parseAirToml(text, { root: tempDir('hr-air-'), platform: 'linux' });
  const messages = warnings(problems);
  assert.equal(
    problems.every((p) => p.severity === 'warning'),
    true,
  );
  assert.ok(messages.some((m) => /unknown key "rooot" at the top level/.test(m) && /did you mean "root"/.test(m)));
  assert.ok(messages.some((m) => /unknown key "cmdd" in \[build\]/.test(m) && /did you mean "cmd"/.test(m)));
  assert.ok(messages.some((m) => /unknown key "future_option" in \[build\]/.test(m)));
  assert.ok(messages.some((m) => /unknown key "clear_on_rebuld" in \[screen\]/.test(m) && /"clear_on_rebuild"/.test(m)));
  assert.ok(messages.some((m) => /unknown key "weird" at the top level/.test(m)));
  assert.ok(messages.some((m) => /unknown key "binn" in \[build\.linux\]/.test(m)));
  const cmdd = problems.find((p) => p.message.includes('"cmdd"'));
  assert.equal(cmdd?.line, 3);
  assert.equal(cmdd?.column, 1);
  assert.deepEqual(settings.buildCommand, undefined);
});

test('airToml: wrong types are warned about, naming the key and the type, and ignored', () => {
  const text = '[build]\ndelay = "1s"\nstop_on_error = "yes"\ninclude_ext = "go"\nexclude_dir = [1, 2]\nkill_delay = "soon"\n[proxy]\nproxy_port = "8090"\n';
  const { problems, settings } = parseAirToml(text, { root: tempDir('hr-air-') });
  const messages = warnings(problems);
  assert.ok(messages.some((m) => /build\.delay must be a number, not a string \("1s"\)/.test(m)));
  assert.ok(messages.some((m) => /build\.stop_on_error must be true or false/.test(m)));
  assert.ok(messages.some((m) => /build\.include_ext must be an array of strings/.test(m)));
  assert.ok(messages.some((m) => /build\.exclude_dir must be an array of strings/.test(m)));
  assert.ok(messages.some((m) => /build\.kill_delay must be a duration/.test(m)));
  assert.ok(messages.some((m) => /proxy\.proxy_port must be a number/.test(m)));
  assert.equal(settings.debounceMs, undefined);
  assert.equal(settings.keepRunningOnBuildError, undefined);
  assert.deepEqual(settings.extensions, ['go']); // a lone string is used as a one-item list
  assert.equal(settings.gracePeriodMs, undefined);
  const delay = problems.find((p) => p.message.startsWith('build.delay'));
  assert.equal(delay?.line, 2);
});

test('airToml: cosmetic keys are accepted silently', () => {
  const text =
    '[log]\ntime = true\nmain_only = true\nsilent = true\n[color]\nmain = "red"\nmode = "never"\napp = ""\n[screen]\nkeep_scroll = false\n[misc]\nstartup_banner = ""\n[build]\nexclude_unchanged = false\nlog = "x.log"\n';
  const { problems } = parseAirToml(text, { root: tempDir('hr-air-') });
  assert.deepEqual(problems, []);
});

test('airToml: kill_delay as air reads it', () => {
  const grace = (value: string) => parseAirToml(`[build]\nkill_delay = ${value}\n`, { root: tempDir('hr-air-') }).settings.gracePeriodMs;
  assert.equal(grace('500'), 500); // below 1ms in ns → milliseconds
  assert.equal(grace('2000000000'), 2000); // nanoseconds
  assert.equal(grace('"1s"'), 1000);
  assert.equal(grace('"1m30s"'), 90000);
  assert.equal(grace('"0s"'), undefined); // keep the default grace period
  assert.equal(grace('0'), undefined);
});

test('airToml: send_interrupt false keeps the default stop signal', () => {
  const { settings } = parseAirToml('[build]\nsend_interrupt = false\nstop_on_error = false\n', { root: tempDir('hr-air-') });
  assert.equal(settings.stopSignal, undefined);
  assert.equal(settings.keepRunningOnBuildError, true);
});

test('airToml: root moves the watch root and what is relative to it', () => {
  const base = tempDir('hr-air-');
  const text =
    'root = "./service"\ntmp_dir = "build/tmp"\n[build]\ncmd = "go build -o ./out/app ./cmd/app"\nbin = "./out/app --port 80"\nexclude_dir = ["web/"]\ninclude_dir = ["internal", "cmd"]\n';
  const { settings, problems } = parseAirToml(text, { root: base, platform: 'linux' });
  assert.deepEqual(problems, []);
  const root = path.join(base, 'service');
  assert.equal(settings.root, root);
  assert.equal(settings.binary, path.join(root, 'out', 'app'));
  assert.deepEqual(settings.args, ['--port', '80']);
  assert.equal(settings.package, './cmd/app');
  assert.deepEqual(settings.exclude, ['web/**', 'build/tmp/**', 'testdata/**']);
  assert.deepEqual(settings.include, ['internal/**', 'cmd/**']);
});

test('airToml: include_ext ["*"] means any extension; dirs outside root are warned about', () => {
  const { settings, problems } = parseAirToml('[build]\ninclude_ext = ["*"]\ninclude_dir = ["../shared"]\n', { root: tempDir('hr-air-') });
  assert.deepEqual(settings.extensions, []);
  assert.deepEqual(settings.include, []);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /include_dir "\.\.\/shared" is outside root/);
});

test('airToml: entrypoint gives binary and arguments; args_bin is appended', () => {
  const root = tempDir('hr-air-');
  const { settings, problems } = parseAirToml(
    '[build]\ncmd = "go build -tags dev -o ./tmp/srv ./cmd/srv"\nentrypoint = ["./tmp/srv", "serve"]\nargs_bin = ["-v"]\n',
    { root, platform: 'linux' },
  );
  assert.deepEqual(problems, []);
  assert.equal(settings.binary, path.join(root, 'tmp', 'srv'));
  assert.deepEqual(settings.args, ['serve', '-v']);
  assert.equal(settings.package, './cmd/srv');
});

test('airToml: full_bin running another program keeps the built binary and warns', () => {
  const root = tempDir('hr-air-');
  const { settings, problems } = parseAirToml(
    '[build]\ncmd = "go build -gcflags=all=-N -o ./tmp/main ."\nbin = "./tmp/main"\nfull_bin = "DEBUG=1 dlv exec ./tmp/main --headless"\n',
    { root, platform: 'linux' },
  );
  assert.equal(settings.binary, path.join(root, 'tmp', 'main'));
  assert.deepEqual(settings.env, { DEBUG: '1' });
  assert.equal(settings.args, undefined);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /runs "dlv", not the built binary/);
});

test('airToml: full_bin needing a shell is warned about', () => {
  const { problems } = parseAirToml('[build]\ncmd = "make"\nfull_bin = "./tmp/main | tee log"\n', { root: tempDir('hr-air-') });
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /needs a shell/);
});

test('airToml: without cmd, hot reload builds itself: no buildCommand, no binary, args still apply', () => {
  const { settings } = parseAirToml('[build]\nbin = "./tmp/main"\nargs_bin = ["x"]\n', { root: tempDir('hr-air-') });
  assert.equal(settings.buildCommand, undefined);
  assert.equal(settings.binary, undefined);
  assert.deepEqual(settings.args, ['x']);
});

test("airToml: cmd without bin uses air's default ./tmp/main", () => {
  const root = tempDir('hr-air-');
  const { settings } = parseAirToml('[build]\ncmd = "go build -o ./tmp/main ."\n', { root, platform: 'linux' });
  assert.equal(settings.binary, path.join(root, 'tmp', 'main'));
});

test('airToml: platform override tables apply only on their platform', () => {
  const text = '[build]\ncmd = "go build -o ./tmp/main ."\nbin = "./tmp/main"\n[build.darwin]\ncmd = "go build -o ./tmp/mac ."\nbin = "./tmp/mac"\n';
  const root = tempDir('hr-air-');
  assert.equal(parseAirToml(text, { root, platform: 'darwin' }).settings.binary, path.join(root, 'tmp', 'mac'));
  assert.equal(parseAirToml(text, { root, platform: 'linux' }).settings.binary, path.join(root, 'tmp', 'main'));
});

test('airToml: rules and follow_symlink are warned about as unsupported', () => {
  const text = '[build]\nfollow_symlink = true\n[[build.rules]]\nname = "assets"\ncmd = "npm run build"\ninclude_ext = ["js"]\n';
  const messages = warnings(parseAirToml(text, { root: tempDir('hr-air-') }).problems);
  assert.equal(messages.length, 2);
  assert.ok(messages.some((m) => /follow_symlink is not supported/.test(m)));
  assert.ok(messages.some((m) => /\[\[build\.rules\]\] is not supported/.test(m)));
});

test('airToml: proxy enabled without ports warns; disabled proxy changes nothing', () => {
  const on = parseAirToml('[proxy]\nenabled = true\n', { root: tempDir('hr-air-') });
  assert.equal(on.settings.strategy, 'proxy');
  assert.match(on.problems[0].message, /proxy_port or app_port is missing/);
  const off = parseAirToml('[proxy]\nenabled = false\nproxy_port = 1\napp_port = 2\n', { root: tempDir('hr-air-') });
  assert.equal(off.settings.strategy, undefined);
  assert.deepEqual(off.problems, []);
});

test('parseGoDuration', () => {
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('500ms'), 500e6);
  assert.equal(parseGoDuration('1.5s'), 1.5e9);
  assert.equal(parseGoDuration('1h2m'), 3720e9);
  assert.equal(parseGoDuration('10us'), 10e3);
  assert.equal(parseGoDuration('-1s'), -1e9);
  assert.equal(parseGoDuration('1'), undefined);
  assert.equal(parseGoDuration('soon'), undefined);
  assert.equal(parseGoDuration(''), undefined);
});

test('splitCommandLine', () => {
  assert.deepEqual(splitCommandLine('A=1 B="x y" ./tmp/main --name \'a b\' c\\ d'), {
    assignments: [
      ['A', '1'],
      ['B', 'x y'],
    ],
    words: ['./tmp/main', '--name', 'a b', 'c d'],
  });
  assert.deepEqual(splitCommandLine('./main a=b'), { assignments: [], words: ['./main', 'a=b'] });
  assert.deepEqual(splitCommandLine('./a && ./b'), { unsupported: '"&"' });
  assert.deepEqual(splitCommandLine('X=$HOME ./a'), { unsupported: '"$"' });
  assert.deepEqual(splitCommandLine('"unterminated'), { unsupported: 'an unterminated quote' });
});

test('goBuildPackage', () => {
  assert.equal(goBuildPackage('go build -o ./tmp/main .'), '.');
  assert.equal(goBuildPackage('go build -o ./tmp/main ./cmd/api'), './cmd/api');
  assert.equal(goBuildPackage('go build -ldflags "-s -w" -o tmp/main -race ./cmd/api'), './cmd/api');
  assert.equal(goBuildPackage('go build -o ./tmp/main'), '.');
  assert.equal(goBuildPackage('go build -o ./tmp/main main.go'), undefined);
  assert.equal(goBuildPackage('go build -o ./tmp/main . && echo ok'), undefined);
  assert.equal(goBuildPackage('make build'), undefined);
  assert.equal(goBuildPackage('CGO_ENABLED=0 go build .'), undefined);
});
