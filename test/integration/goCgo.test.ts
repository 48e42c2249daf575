/**
 * cgo, as Go programs come: a program with C code (gcc) builds and reloads with cgo; a program of
 * the standard library only builds with CGO_ENABLED=0 (read back from the running binary), and an
 * edit that adds C code to it builds with cgo again from that very reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession, type TestSession } from './harness';
import { commandAvailable } from '../support/examples';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

const skip = commandAvailable('gcc') ? false : 'gcc is not installed';

const serve = (body: string) => `package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, ${body}) })
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
`;

const fromC = (text: string) => `package main

// const char *answer(void) { return ${JSON.stringify(text)}; }
import "C"

func answer() string { return C.GoString(C.answer()) }
`;

/** CGO_ENABLED as the running version's binary was built with (`go version -m`). */
function builtWithCgo(pid: number): string | undefined {
  const info = execFileSync('go', ['version', '-m', fs.readlinkSync(`/proc/${pid}/exe`)], { encoding: 'utf8' });
  return /\bbuild\s+CGO_ENABLED=(\d)/.exec(info)?.[1];
}

function said(t: TestSession, pattern: RegExp): boolean {
  return t.events.some((e) => e.type === 'log' && pattern.test(e.message));
}

test('a program with C code builds with cgo and reloads an edit of its C', { skip }, async () => {
  const dir = tempDir('hr-cgo-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/cgoapp\n\ngo 1.19\n');
  fs.writeFileSync(path.join(dir, 'main.go'), serve('answer()'));
  fs.writeFileSync(path.join(dir, 'answer.go'), fromC('from C v1'));
  const { t, port, first } = await startSession(dir, { strategy: 'restart' });
  try {
    assert.equal(first.outcome, 'started');
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'from C v1');
    assert.ok(said(t, /^building with cgo: example\.com\/cgoapp uses it$/), 'the log says why cgo is on');
    assert.equal(builtWithCgo(first.pid!), '1');
    fs.writeFileSync(path.join(dir, 'answer.go'), fromC('from C v2'));
    assert.equal((await t.report(2)).outcome, 'restarted');
    assert.equal(await eventually('v2 answers', async () => ((await httpGet(port)).body === 'from C v2' ? 'yes' : undefined)), 'yes');
  } finally {
    await t.dispose();
  }
});

test('a program of the standard library builds with CGO_ENABLED=0; an edit that adds C builds with cgo', { skip }, async () => {
  const dir = tempDir('hr-cgo-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/plain\n\ngo 1.19\n');
  fs.writeFileSync(path.join(dir, 'main.go'), serve('"plain Go"'));
  const { t, port, first } = await startSession(dir, { strategy: 'restart' });
  try {
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'plain Go');
    assert.ok(said(t, /^building with CGO_ENABLED=0: no package outside the standard library uses cgo/), 'the log says cgo is off');
    assert.equal(builtWithCgo(first.pid!), '0');
    fs.writeFileSync(path.join(dir, 'answer.go'), fromC('now from C'));
    fs.writeFileSync(path.join(dir, 'main.go'), serve('answer()'));
    const second = await eventually('a reload that builds', () => t.reports().find((r) => r.outcome === 'restarted'));
    assert.equal(await eventually('the C version answers', async () => ((await httpGet(port)).body === 'now from C' ? 'yes' : undefined)), 'yes');
    assert.equal(builtWithCgo(second.pid!), '1');
    assert.ok(said(t, /^building with cgo: example\.com\/plain uses it$/));
  } finally {
    await t.dispose();
  }
});
