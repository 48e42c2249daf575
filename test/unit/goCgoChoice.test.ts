/**
 * When a Go build goes without cgo: the import paths read from a file's text, and the choice made
 * from `go list` (real go, on small modules made here): CGO_ENABLED=0 for a program of the standard
 * library only, Go's default once a file imports "C", and the user's own CGO_ENABLED left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { importsOf } from '../../src/engine/languages/go/imports';
import { CgoChoice } from '../../src/engine/languages/go/cgoChoice';
import { tempDir, writeFile } from '../support/files';

test('importsOf reads single imports, blocks, aliases and raw strings, and skips comments', () => {
  const source = `// Package x.
package x

/* import "not/this" */
import "fmt"
import alias "example.com/a"
import (
	_ "embed"
	. "example.com/dot"
	// "commented/out"
	b \`example.com/raw\`
	"C"
)

func f() { fmt.Println("import \\"no\\"") }
`;
  assert.deepEqual(importsOf(source), ['fmt', 'example.com/a', 'embed', 'example.com/dot', 'example.com/raw', 'C']);
});

const settings = (moduleRoot: string, extra: Partial<ConstructorParameters<typeof CgoChoice>[0]> = {}) => ({
  cgoOnlyWhenNeeded: true,
  strategy: 'restart' as const,
  buildFlags: [],
  buildEnv: {},
  moduleRoot,
  package: '.',
  ...extra,
});

test('no cgo outside the standard library: CGO_ENABLED=0; a file that imports "C": Go’s default from the next build', async () => {
  const dir = tempDir('hr-cgo-');
  writeFile(path.join(dir, 'go.mod'), 'module example.com/plain\n\ngo 1.19\n');
  writeFile(path.join(dir, 'main.go'), 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\nfunc main() { fmt.Println(http.StatusOK) }\n');
  const notes: string[] = [];
  const choice = new CgoChoice(settings(dir), undefined, (m) => notes.push(m));
  assert.deepEqual(await choice.env({}), { CGO_ENABLED: '0' });
  assert.match(notes[0], /^building with CGO_ENABLED=0: no package outside the standard library uses cgo/);

  // An edit that imports nothing new keeps the listing.
  choice.changed(writeFile(path.join(dir, 'main.go'), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(1) }\n'));
  assert.deepEqual(await choice.env({}), { CGO_ENABLED: '0' });
  assert.equal(notes.length, 1, 'the same choice is said once');

  const cgo = writeFile(path.join(dir, 'c.go'), 'package main\n\n// int two(void) { return 2; }\nimport "C"\n\nfunc two() int { return int(C.two()) }\n');
  choice.changed(cgo);
  assert.deepEqual(await choice.env({}), {});
  assert.equal(notes[1], 'building with cgo: example.com/plain uses it');
});

test('the user’s CGO_ENABLED, -race, the patch strategy and the setting off leave cgo to Go', async () => {
  const dir = tempDir('hr-cgo-');
  writeFile(path.join(dir, 'go.mod'), 'module example.com/plain\n\ngo 1.19\n');
  writeFile(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  const cases = [
    settings(dir, { buildEnv: { CGO_ENABLED: '1' } }),
    settings(dir, { buildFlags: ['-race'] }),
    settings(dir, { strategy: 'patch' }),
    settings(dir, { cgoOnlyWhenNeeded: false }),
  ];
  for (const s of cases) assert.deepEqual(await new CgoChoice(s, undefined, () => undefined).env({}), {}, JSON.stringify(s));
  // A remote target's build says CGO_ENABLED itself.
  assert.deepEqual(await new CgoChoice(settings(dir), undefined, () => undefined).env({ CGO_ENABLED: '0' }), {});
});
