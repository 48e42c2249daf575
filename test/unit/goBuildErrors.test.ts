import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../src/engine/kernel/diagnostic';
import { parseGoBuildOutput, summarizeUnparsed } from '../../src/engine/languages/go/buildErrors';

// Fixtures are real go1.26 outputs made by test/fixtures/go-output/capture.sh: the module
// example.com/shop lives in /tmp/hr/build/shop, with a main package at its root, a package in
// internal/store and a command in cmd/server; the module cache is /tmp/hr/modcache.
const ROOT = '/tmp/hr/build/shop';
const SUBDIR = `${ROOT}/cmd/server`;
const atRoot = { cwd: ROOT, moduleRoot: ROOT };
const inSubdir = { cwd: SUBDIR, moduleRoot: ROOT };

function fixture(name: string): string {
  return fs.readFileSync(path.join(__dirname, '../../../test/fixtures/go-output/build', `${name}.txt`), 'utf8');
}

function error(file: string, line: number, column: number, message: string): Diagnostic {
  return { file, line, column, severity: 'error', message, source: 'go build', related: [] };
}

function goModError(message: string, file = `${ROOT}/go.mod`, line = 0, column = 0): Diagnostic {
  return { ...error(file, line, column, message), source: 'go.mod' };
}

const storeErrors: Diagnostic[] = [
  error(`${ROOT}/internal/store/store.go`, 4, 17, 'cannot use 5 (untyped int constant) as string value in variable declaration'),
  {
    ...error(`${ROOT}/internal/store/store.go`, 9, 6, 'Dup redeclared in this block'),
    related: [{ file: `${ROOT}/internal/store/store.go`, line: 8, column: 6, message: 'other declaration of Dup' }],
  },
  error(
    `${ROOT}/internal/store/store.go`,
    16,
    15,
    'cannot use File{} (value of struct type File) as Saver value in variable declaration: File does not implement Saver (wrong type for method Save)\nhave Save(string)\nwant Save(int)',
  ),
];

// --- compiler errors ---

test('a type error in the main package resolves ./main.go against cwd', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('main-type-error'), atRoot), [
    error(`${ROOT}/main.go`, 10, 18, 'cannot use "three" (untyped string constant) as int value in variable declaration'),
  ]);
});

test('errors in another package of the module, built from the module root', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('other-package-from-root'), atRoot), storeErrors);
});

test('errors in another package, built from a subdirectory (../../ paths), resolve to the same files', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('other-package-from-subdir'), inSubdir), storeErrors);
});

test('tab-indented have/want lines are appended to the message', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('have-want'), atRoot), [
    error(`${ROOT}/main.go`, 13, 7, 'not enough arguments in call to send\nhave (string)\nwant (int, string)'),
  ]);
});

test('a syntax error', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('syntax-error'), atRoot), [error(`${ROOT}/main.go`, 5, 1, 'syntax error: unexpected }, expected expression')]);
});

test('the positioned "too many errors" line is not a diagnostic', () => {
  const diagnostics = parseGoBuildOutput(fixture('too-many-errors'), atRoot);
  assert.equal(diagnostics.length, 10);
  assert.ok(diagnostics.every((d) => d.message.startsWith('cannot use "s"')));
  assert.deepEqual(diagnostics[9], error(`${ROOT}/main.go`, 13, 16, 'cannot use "s" (untyped string constant) as int value in variable declaration'));
  assert.equal(summarizeUnparsed(fixture('too-many-errors')), '');
});

test('a bare "too many errors" line is neither a diagnostic nor unparsed', () => {
  const output = './main.go:4:15: undefined: x\ntoo many errors\n';
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [error(`${ROOT}/main.go`, 4, 15, 'undefined: x')]);
  assert.equal(summarizeUnparsed(output), '');
});

test('"found packages" puts the message on both files', () => {
  const message = `found packages helpers (helpers.go) and main (main.go) in ${ROOT}`;
  assert.deepEqual(parseGoBuildOutput(fixture('found-packages'), atRoot), [
    error(`${ROOT}/helpers.go`, 0, 0, message),
    error(`${ROOT}/main.go`, 0, 0, message),
  ]);
});

// --- go vet ---

test('go vet type errors: "# [pkg]" header ignored, "vet: " prefix removed', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('vet-typecheck'), atRoot), [
    error(`${ROOT}/main.go`, 13, 12, 'not enough arguments in call to send\nhave (string)\nwant (int, string)'),
  ]);
});

test('go vet analyzer findings from a subdirectory', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('vet-analyzers-from-subdir'), inSubdir), [
    error(`${ROOT}/main.go`, 13, 12, 'assignment copies lock value to copied: sync.Mutex'),
    error(`${ROOT}/main.go`, 14, 6, 'assignment copies lock value to _: sync.Mutex'),
    error(`${ROOT}/main.go`, 11, 14, 'fmt.Printf format %d has arg store.Get() of wrong type string'),
  ]);
});

// --- go.mod / go.sum ---

test('go.mod parse error: header dropped, line without column gives column 0', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gomod-unknown-directive'), atRoot), [goModError('unknown directive: foo', `${ROOT}/go.mod`, 4, 0)]);
});

test('go.mod parse error seen from a subdirectory (../../go.mod)', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gomod-unknown-directive-from-subdir'), inSubdir), [
    goModError('unknown directive: foo', `${ROOT}/go.mod`, 4, 0),
  ]);
});

test('go.mod parse error with a column', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gomod-require-usage'), atRoot), [goModError('usage: require module/path v1.2.3', `${ROOT}/go.mod`, 6, 2)]);
});

test('an absolute go.mod path (older go versions) is kept', () => {
  const output = 'go: errors parsing /home/dev/shop/go.mod:\n/home/dev/shop/go.mod:3: unknown directive: foo\n';
  assert.deepEqual(parseGoBuildOutput(output, { cwd: '/home/dev/shop/cmd', moduleRoot: '/home/dev/shop' }), [
    goModError('unknown directive: foo', '/home/dev/shop/go.mod', 3, 0),
  ]);
});

test('"updates to go.mod needed" without a position goes on <moduleRoot>/go.mod line 0', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gomod-updates-needed'), inSubdir), [goModError('updates to go.mod needed; to update it:\ngo mod tidy')]);
});

test('"go: module@version: missing go.sum entry" without a position', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gosum-missing-entry-list'), atRoot), [
    goModError('github.com/x/y@v1.0.0: missing go.sum entry for go.mod file; to add it:\ngo mod download github.com/x/y'),
  ]);
});

test('missing go.sum entry reported at an import in the module cache', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gosum-missing-entry-build'), atRoot), [
    error(
      '/tmp/hr/modcache/github.com/x/z@v1.0.0/z.go',
      3,
      8,
      'github.com/x/y@v1.0.0: missing go.sum entry for go.mod file; to add it:\ngo mod download github.com/x/y',
    ),
  ]);
});

test('missing go.sum file reported at the import in main.go', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gosum-missing-file'), atRoot), [
    error(
      `${ROOT}/main.go`,
      3,
      8,
      'missing go.sum entry for module providing package github.com/x/z (imported by example.com/shop); to add:\ngo get example.com/shop',
    ),
  ]);
});

test('"no required module provides package" keeps the go get hint', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('no-required-module'), atRoot), [
    error(`${ROOT}/main.go`, 4, 2, 'no required module provides package example.com/nope; to add it:\ngo get example.com/nope'),
  ]);
});

test('"go: downloading" progress is skipped, the download failure is kept', () => {
  const output = fixture('module-download-failed');
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [
    error(
      `${ROOT}/main.go`,
      3,
      8,
      'github.com/x/unpublished@v1.0.0: reading file:///tmp/hr/proxy/github.com/x/unpublished/@v/v1.0.0.zip: no such file or directory',
    ),
  ]);
  assert.equal(summarizeUnparsed(output), '');
});

test('malformed go.sum: the go.sum position gets source go.mod', () => {
  assert.deepEqual(parseGoBuildOutput(fixture('gosum-malformed'), atRoot), [goModError('wrong number of fields 2', `${ROOT}/go.sum`, 5, 0)]);
});

test('checksum mismatch: one go.mod diagnostic, the explanation after the blank line is left unparsed', () => {
  const output = fixture('gosum-checksum-mismatch');
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [
    goModError(
      'verifying github.com/x/y@v1.0.0: checksum mismatch\n' +
        'downloaded: h1:8RlSnPOQNUtxl7C0BZ64NK7QTQ9Fi/K1TNtbJH/a71Y=\n' +
        'go.sum:     h1:9RlSnPOQNUtxl7C0BZ64NK7QTQ9Fi/K1TNtbJH/a71Y=',
    ),
  ]);
  assert.match(summarizeUnparsed(output), /^SECURITY ERROR\n/);
});

test('no go.mod at all', () => {
  const noModule = { cwd: '/tmp/hr/build/nomod', moduleRoot: '/tmp/hr/build/nomod' };
  assert.deepEqual(parseGoBuildOutput(fixture('no-gomod'), noModule), [
    goModError("go.mod file not found in current directory or any parent directory; see 'go help modules'", '/tmp/hr/build/nomod/go.mod'),
  ]);
  assert.deepEqual(parseGoBuildOutput(fixture('no-gomod-pattern'), noModule), [
    goModError('pattern ./...: directory prefix . does not contain main module or its selected dependencies', '/tmp/hr/build/nomod/go.mod'),
  ]);
});

test('"cannot find main module, but found .git/config" keeps its hint lines', () => {
  const subdir = { cwd: '/tmp/hr/build/nomod/sub', moduleRoot: '/tmp/hr/build/nomod/sub' };
  assert.deepEqual(parseGoBuildOutput(fixture('no-gomod-git'), subdir), [
    goModError(
      'cannot find main module, but found .git/config in /tmp/hr/build/nomod\nto create a module there, run:\ncd .. && go mod init',
      '/tmp/hr/build/nomod/sub/go.mod',
    ),
  ]);
});

// --- cgo ---

test('gcc errors through cgo: kind prefix removed, note attached, context and excerpt skipped', () => {
  const output = fixture('cgo-error');
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [
    {
      ...error(`${ROOT}/main.go`, 4, 23, "'undefined_thing' undeclared (first use in this function)"),
      related: [
        {
          file: `${ROOT}/main.go`,
          line: 4,
          column: 23,
          message: 'each undeclared identifier is reported only once for each function it appears in',
        },
      ],
    },
  ]);
  assert.equal(summarizeUnparsed(output), '');
});

test('a gcc warning has severity warning', () => {
  const output = "./wrap.go:7:3: warning: implicit declaration of function 'g'\n./wrap.go:9:1: fatal error: x.h: No such file or directory\n";
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [
    { ...error(`${ROOT}/wrap.go`, 7, 3, "implicit declaration of function 'g'"), severity: 'warning' },
    error(`${ROOT}/wrap.go`, 9, 1, 'x.h: No such file or directory'),
  ]);
});

// --- paths ---

test('absolute paths are kept, relative ones resolved against cwd', () => {
  const output = '/usr/local/go/src/fmt/print.go:1:2: a\n../lib/x.go:3:4: b\n';
  assert.deepEqual(parseGoBuildOutput(output, inSubdir), [error('/usr/local/go/src/fmt/print.go', 1, 2, 'a'), error(`${ROOT}/cmd/lib/x.go`, 3, 4, 'b')]);
});

test('Windows paths: drive letters do not break the position, relative paths use win32 rules', () => {
  // Shaped like go's output on Windows (not captured: the toolchain here is linux).
  const output = [
    '# example.com/shop',
    '.\\main.go:9:14: undefined: x',
    'C:\\Users\\dev\\shop\\internal\\store\\store.go:9:6: Dup redeclared in this block',
    '\tC:\\Users\\dev\\shop\\internal\\store\\store.go:8:6: other declaration of Dup',
    '..\\..\\go.mod:4: unknown directive: foo',
  ].join('\r\n');
  const windows = { cwd: 'C:\\Users\\dev\\shop\\cmd\\server', moduleRoot: 'C:\\Users\\dev\\shop' };
  assert.deepEqual(parseGoBuildOutput(output, windows), [
    error('C:\\Users\\dev\\shop\\cmd\\server\\main.go', 9, 14, 'undefined: x'),
    {
      ...error('C:\\Users\\dev\\shop\\internal\\store\\store.go', 9, 6, 'Dup redeclared in this block'),
      related: [{ file: 'C:\\Users\\dev\\shop\\internal\\store\\store.go', line: 8, column: 6, message: 'other declaration of Dup' }],
    },
    goModError('unknown directive: foo', 'C:\\Users\\dev\\shop\\go.mod', 4, 0),
  ]);
  // gcc prints forward slashes.
  assert.equal(parseGoBuildOutput('C:/Users/dev/shop/wrap.go:3:1: error: x', windows)[0].file, 'C:\\Users\\dev\\shop\\wrap.go');
  const noModule = parseGoBuildOutput("go: go.mod file not found in current directory or any parent directory; see 'go help modules'", windows);
  assert.equal(noModule[0].file, 'C:\\Users\\dev\\shop\\go.mod');
});

test('CRLF line endings do not leak into messages', () => {
  const output = './main.go:13:7: not enough arguments in call to send\r\n\thave (string)\r\n\twant (int, string)\r\n';
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [
    error(`${ROOT}/main.go`, 13, 7, 'not enough arguments in call to send\nhave (string)\nwant (int, string)'),
  ]);
});

// --- what is left over ---

test('an import cycle has no position: no diagnostic, the whole text is unparsed', () => {
  const output = fixture('import-cycle');
  assert.deepEqual(parseGoBuildOutput(output, atRoot), []);
  assert.equal(summarizeUnparsed(output), output.trimEnd());
});

test('"go: -race requires cgo" is not a module problem and is left for summarizeUnparsed', () => {
  const output = fixture('race-without-cgo');
  assert.deepEqual(parseGoBuildOutput(output, atRoot), []);
  assert.equal(summarizeUnparsed(output), 'go: -race requires cgo; enable cgo by setting CGO_ENABLED=1');
});

test('a tab line after a blank line continues nothing', () => {
  const output = './main.go:1:1: a\n\n\tstray detail\n';
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [error(`${ROOT}/main.go`, 1, 1, 'a')]);
  assert.equal(summarizeUnparsed(output), '\tstray detail');
});

test('a package header ends the previous diagnostic', () => {
  const output = './main.go:1:1: a\n# example.com/shop/b\n\tnot a continuation of a\n';
  assert.deepEqual(parseGoBuildOutput(output, atRoot), [error(`${ROOT}/main.go`, 1, 1, 'a')]);
});

test('summarizeUnparsed keeps at most maxLines lines and says how many were cut', () => {
  const output = Array.from({ length: 5 }, (_, i) => `/usr/local/go/pkg/tool/linux_amd64/link: failure ${i}`).join('\n');
  assert.equal(
    summarizeUnparsed(output, 2),
    '/usr/local/go/pkg/tool/linux_amd64/link: failure 0\n/usr/local/go/pkg/tool/linux_amd64/link: failure 1\n… 3 more lines',
  );
  assert.equal(summarizeUnparsed(output).split('\n').length, 5);
});

test('empty output gives nothing', () => {
  assert.deepEqual(parseGoBuildOutput('', atRoot), []);
  assert.deepEqual(parseGoBuildOutput('\n\n', atRoot), []);
  assert.equal(summarizeUnparsed(''), '');
});
