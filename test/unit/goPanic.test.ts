import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, RelatedLocation } from '../../src/engine/kernel/diagnostic';
import { parseGoPanic } from '../../src/engine/languages/go/panic';

// Fixtures are real `go run` outputs (go1.26, stdout and stderr together) made by
// test/fixtures/go-output/capture.sh: module example.com/app in /tmp/hr/app, with a package in
// internal/calc, GOROOT /usr/local/go and the module cache in /tmp/hr/modcache. Each program
// logs a few lines before crashing, and `go run` adds "exit status 2" after the trace.
const ROOT = '/tmp/hr/app';
const MAIN = `${ROOT}/main.go`;
const CALC = `${ROOT}/internal/calc/calc.go`;
const app = { moduleRoot: ROOT, cwd: ROOT };

function fixture(name: string): string {
  return fs.readFileSync(path.join(__dirname, '../../../test/fixtures/go-output/panic', `${name}.txt`), 'utf8');
}

function frame(message: string, file: string, line: number): RelatedLocation {
  return { file, line, column: 0, message };
}

function crash(message: string, file: string, line: number, related: RelatedLocation[]): Diagnostic {
  return { file, line, column: 0, severity: 'error', message, source: 'panic', related };
}

/** Real crashes and the diagnostic each gives: its message, its site (the first frame in the module) and the frames. */
const crashes: { title: string; fixture: string; expected: Diagnostic }[] = [
  {
    title: 'index out of range in main, after unrelated log lines',
    fixture: 'index',
    expected: crash('panic: runtime error: index out of range [5] with length 3', MAIN, 18, [frame('main.index', MAIN, 18), frame('main.main', MAIN, 105)]),
  },
  {
    title: 'a panic in another package of the module points at that package',
    fixture: 'otherpkg',
    expected: crash('panic: runtime error: index out of range [7] with length 3', CALC, 7, [
      frame('example.com/app/internal/calc.At', CALC, 7),
      frame('main.otherPkg', MAIN, 22),
      frame('main.main', MAIN, 107),
    ]),
  },
  {
    title: 'nil pointer dereference in a goroutine: SIGSEGV line in the message, "created by" frame kept',
    fixture: 'goroutine',
    expected: crash(
      'panic: runtime error: invalid memory address or nil pointer dereference\n' + '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a8a4a]',
      MAIN,
      31,
      [frame('main.inGoroutine.func1', MAIN, 31), frame('created by main.inGoroutine in goroutine 1', MAIN, 28)],
    ),
  },
  {
    title: 'nil map write through a method: receiver in the function name',
    fixture: 'nilmap',
    expected: crash('panic: assignment to entry in nil map', CALC, 11, [
      frame('example.com/app/internal/calc.(*Store).Put', CALC, 11),
      frame('main.nilMap', MAIN, 38),
      frame('main.main', MAIN, 111),
    ]),
  },
  {
    title: 'a [recovered] panic keeps the chain; the runtime panic frame is related but not the site',
    fixture: 'recovered',
    expected: crash('panic: first failure [recovered]\npanic: re-panic after first failure', MAIN, 49, [
      frame('main.recovered.func1', MAIN, 49),
      frame('panic', '/usr/local/go/src/runtime/panic.go', 860),
      frame('main.recovered', MAIN, 51),
      frame('main.main', MAIN, 115),
    ]),
  },
  {
    title: "a multi-line panic value is kept up to the blank line, without go's indent",
    fixture: 'multiline',
    expected: crash('panic: config invalid:\n  port: must be > 0\n  host: empty', MAIN, 63, [frame('main.multiline', MAIN, 63), frame('main.main', MAIN, 119)]),
  },
  {
    title: 'log.Panicf: the log.Panicf frame in GOROOT is skipped for the site',
    fixture: 'logpanic',
    expected: crash('panic: cannot bind :8080: address already in use', MAIN, 72, [
      frame('log.Panicf', '/usr/local/go/src/log/log.go', 460),
      frame('main.logPanic', MAIN, 72),
      frame('main.main', MAIN, 123),
    ]),
  },
  {
    title: 'fatal error: deadlock',
    fixture: 'deadlock',
    expected: crash('fatal error: all goroutines are asleep - deadlock!', MAIN, 81, [frame('main.deadlock', MAIN, 81), frame('main.main', MAIN, 127)]),
  },
  {
    title: 'fatal error: concurrent map writes points past the runtime frame',
    fixture: 'concmap',
    expected: crash('fatal error: concurrent map writes', MAIN, 92, [
      frame('internal/runtime/maps.fatal', '/usr/local/go/src/runtime/panic.go', 1181),
      frame('main.concurrentMap.func1', MAIN, 92),
      frame('created by main.concurrentMap in goroutine 1', MAIN, 89),
    ]),
  },
];

for (const { title, fixture: name, expected } of crashes) {
  test(title, () => assert.deepEqual(parseGoPanic(fixture(name), app), expected));
}

/** Output that ends a program but has no goroutine trace: no diagnostic. */
const noTrace: { title: string; fixture: string }[] = [
  { title: 'log.Fatal is not a panic: no trace, so undefined', fixture: 'logfatal' },
  { title: 'GOTRACEBACK=none: no trace, so undefined', fixture: 'traceback-none' },
];

for (const { title, fixture: name } of noTrace) {
  test(title, () => assert.equal(parseGoPanic(fixture(name), app), undefined));
}

test('nil pointer dereference in main', () => {
  const diagnostic = parseGoPanic(fixture('nilptr'), app);
  assert.equal(
    diagnostic?.message,
    'panic: runtime error: invalid memory address or nil pointer dereference\n' + '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a8b16]',
  );
  assert.equal(diagnostic?.file, MAIN);
  assert.equal(diagnostic?.line, 43);
});

test('[recovered, repanicked]', () => {
  const diagnostic = parseGoPanic(fixture('repanicked'), app);
  assert.equal(diagnostic?.message, 'panic: same value [recovered, repanicked]');
  assert.equal(diagnostic?.line, 57);
});

test('a panic with an error value', () => {
  const diagnostic = parseGoPanic(fixture('err'), app);
  assert.equal(diagnostic?.message, 'panic: db: connection refused');
  assert.equal(diagnostic?.line, 67);
});

test("a panic inside a dependency in the module cache points at the module's caller", () => {
  const dep = '/tmp/hr/modcache/github.com/x/y@v1.0.0/y.go';
  const caller = `${ROOT}/cmd/dep/main.go`;
  const expected = crash('panic: assignment to entry in nil map', caller, 6, [frame('github.com/x/y.Boom', dep, 5), frame('main.main', caller, 6)]);
  assert.deepEqual(parseGoPanic(fixture('dependency'), app), expected);
  // When no frame is inside the module, the first frame is used.
  assert.deepEqual(parseGoPanic(fixture('dependency'), { moduleRoot: '/elsewhere', cwd: '/elsewhere' }), {
    ...expected,
    file: dep,
    line: 5,
  });
});

test('stack overflow: "runtime stack:" skipped, frames with fp/sp/pc parsed, elided marker ignored', () => {
  const overflow = `${ROOT}/cmd/overflow/main.go`;
  const diagnostic = parseGoPanic(fixture('stack-overflow'), app);
  assert.ok(diagnostic);
  assert.equal(diagnostic.message, 'fatal error: stack overflow');
  assert.equal(diagnostic.file, overflow);
  assert.equal(diagnostic.line, 3);
  assert.equal(diagnostic.related.length, 100);
  assert.deepEqual(diagnostic.related[0], frame('main.rec', overflow, 3));
  assert.deepEqual(diagnostic.related.slice(-3), [
    frame('main.main', overflow, 8),
    frame('runtime.main', '/usr/local/go/src/runtime/proc.go', 290),
    frame('runtime.goexit', '/usr/local/go/src/runtime/asm_amd64.s', 1771),
  ]);
  assert.ok(!diagnostic.related.some((r) => r.message.startsWith('runtime.throw')));
});

test('GOTRACEBACK=all: only the crashing goroutine is used', () => {
  const diagnostic = parseGoPanic(fixture('traceback-all'), app);
  assert.deepEqual(diagnostic?.related, [frame('main.inGoroutine.func1', MAIN, 31), frame('created by main.inGoroutine in goroutine 1', MAIN, 28)]);
});

test('the newest crash in the output wins', () => {
  const diagnostic = parseGoPanic(fixture('index') + fixture('deadlock'), app);
  assert.equal(diagnostic?.message, 'fatal error: all goroutines are asleep - deadlock!');
  assert.equal(diagnostic?.line, 81);
});

test('a later "panic:" line without a trace does not hide the real crash', () => {
  const output = fixture('nilmap') + 'panic: this is just a log line\nrestarting…\n';
  assert.equal(parseGoPanic(output, app)?.message, 'panic: assignment to entry in nil map');
});

test("vendored frames are not the user's code; created-by of a method", () => {
  const output = [
    'panic: boom',
    '',
    'goroutine 1 [running]:',
    'github.com/x/y.Boom(...)',
    '\t/m/vendor/github.com/x/y/y.go:5',
    'main.main()',
    '\t/m/main.go:6 +0x29',
    'created by main.(*Server).start in goroutine 1',
    '\t/m/server.go:20 +0x3e',
  ].join('\n');
  const diagnostic = parseGoPanic(output, { moduleRoot: '/m', cwd: '/m' });
  assert.equal(diagnostic?.file, '/m/main.go');
  assert.equal(diagnostic?.line, 6);
  // A "created by" line ends without an argument list and is kept whole.
  assert.deepEqual(diagnostic?.related[2], frame('created by main.(*Server).start in goroutine 1', '/m/server.go', 20));
});

test('Windows: forward-slash frame paths are normalised and compared with the module root', () => {
  // Shaped like go's output on Windows (not captured: the toolchain here is linux).
  const output = [
    'panic: boom',
    '',
    'goroutine 1 [running]:',
    'log.Panicf({0x4d30f1?, 0x0?}, {0x0?, 0x0?, 0x0?})',
    '\tC:/Program Files/Go/src/log/log.go:460 +0x74',
    'main.main()',
    '\tC:/Users/dev/app/main.go:18 +0x9',
    'exit status 2',
  ].join('\r\n');
  assert.deepEqual(
    parseGoPanic(output, { moduleRoot: 'C:\\Users\\dev\\app', cwd: 'C:\\Users\\dev\\app' }),
    crash('panic: boom', 'C:\\Users\\dev\\app\\main.go', 18, [
      frame('log.Panicf', 'C:\\Program Files\\Go\\src\\log\\log.go', 460),
      frame('main.main', 'C:\\Users\\dev\\app\\main.go', 18),
    ]),
  );
});

test('output without a crash gives undefined', () => {
  assert.equal(parseGoPanic('', app), undefined);
  assert.equal(parseGoPanic('2026/11/21 05:41:05 request 0 handled in 10ms\nexit status 1\n', app), undefined);
});
