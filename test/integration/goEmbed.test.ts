/**
 * A Go program that embeds files (`//go:embed`) of extensions the watch settings do not name (a
 * page's text, a stylesheet, SQL): an edit of one rebuilds, as an edit of its Go source does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession } from './harness';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

const MAIN = `package main

import (
	_ "embed"
	"fmt"
	"net/http"
	"os"
)

//go:embed static/hello.txt
var hello string

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, hello) })
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
`;

test('an edit of a file the program embeds (//go:embed static/hello.txt) rebuilds it; the log names the file', async () => {
  const dir = tempDir('hr-embed-');
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/embedded\n\ngo 1.19\n');
  fs.writeFileSync(path.join(dir, 'main.go'), MAIN);
  fs.mkdirSync(path.join(dir, 'static'));
  fs.writeFileSync(path.join(dir, 'static', 'hello.txt'), 'hello from v1');
  const { t, port } = await startSession(dir, { strategy: 'restart' });
  try {
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'hello from v1');
    await eventually(
      'the embedded file is watched',
      () => t.events.some((e) => e.type === 'log' && /besides the sources: static\/hello\.txt$/.test(e.message)) || undefined,
    );
    fs.writeFileSync(path.join(dir, 'static', 'hello.txt'), 'hello from v2');
    const second = await t.report(2);
    assert.equal(second.outcome, 'restarted');
    assert.deepEqual(
      second.changedFiles.map((f) => path.relative(dir, f.path)),
      [path.join('static', 'hello.txt')],
    );
    assert.equal(await eventually('v2 answers', async () => ((await httpGet(port)).body === 'hello from v2' ? 'yes' : undefined)), 'yes');
  } finally {
    await t.dispose();
  }
});
