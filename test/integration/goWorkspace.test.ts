/**
 * A go.work workspace opened at its top, as an editor opens it: the module with the program builds
 * (go build finds go.work above it), and an edit of the library module it uses rebuilds. A module of the
 * workspace opened on its own watches the workspace's other modules too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession, type TestSession } from './harness';
import { tempDir, writeFile } from '../support/files';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

const MAIN = `package main

import (
	"fmt"
	"net/http"
	"os"

	"example.com/lib"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, lib.Greeting()) })
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
`;

const library = (text: string) => `package lib\n\nfunc Greeting() string { return ${JSON.stringify(text)} }\n`;

/** A go.work at the top of a new folder using ./app (the program) and ./lib (what it imports). */
function workspace(): string {
  const root = tempDir('hr-work-');
  writeFile(path.join(root, 'go.work'), 'go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n');
  writeFile(path.join(root, 'lib', 'go.mod'), 'module example.com/lib\n\ngo 1.22\n');
  writeFile(path.join(root, 'lib', 'lib.go'), library('from lib v1'));
  writeFile(path.join(root, 'app', 'go.mod'), 'module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n');
  writeFile(path.join(root, 'app', 'main.go'), MAIN);
  return root;
}

/** An edit of lib/lib.go is the next reload, a restart naming that file, and v2 answers with it. */
async function libEditRebuilds(root: string, t: TestSession, port: number): Promise<void> {
  fs.writeFileSync(path.join(root, 'lib', 'lib.go'), library('from lib v2'));
  const second = await t.report(2);
  assert.equal(second.outcome, 'restarted');
  assert.deepEqual(
    second.changedFiles.map((f) => path.relative(root, f.path)),
    [path.join('lib', 'lib.go')],
  );
  assert.equal(await eventually('v2 answers', async () => ((await httpGet(port)).body === 'from lib v2' ? 'yes' : undefined)), 'yes');
}

test('go.work opened at its top: the program of its app module serves, and an edit of its lib module rebuilds', async () => {
  const root = workspace();
  const { t, port, first } = await startSession(root, { strategy: 'restart' });
  try {
    assert.equal(first.outcome, 'started');
    assert.equal(t.session.settings.moduleRoot, path.join(root, 'app'));
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'from lib v1');
    await libEditRebuilds(root, t, port);
  } finally {
    await t.dispose();
  }
});

test('a module of a go.work opened on its own: the workspace’s other module is watched too, and an edit there rebuilds', async () => {
  const root = workspace();
  const app = path.join(root, 'app');
  const { t, port, first } = await startSession(app, { strategy: 'restart' });
  try {
    assert.equal(first.outcome, 'started');
    assert.deepEqual(t.session.settings.alsoWatch, [path.join(root, 'lib')]);
    assert.equal((await eventually('v1 answers', () => httpGet(port))).body, 'from lib v1');
    await eventually(
      'the lib module is watched',
      () => t.events.some((e) => e.type === 'log' && e.message.startsWith(`also watching ${path.join(root, 'lib')}`)) || undefined,
    );
    await libEditRebuilds(root, t, port);
    // A catch-up (hotreload wait) reads the lib module too.
    fs.writeFileSync(path.join(root, 'lib', 'lib.go'), library('from lib v3'));
    const caught = await t.session.catchUp();
    assert.ok(caught.some((c) => c.path === path.join(root, 'lib', 'lib.go')) || t.reports().length >= 3, 'the catch-up or the watcher took the lib edit');
    assert.equal(await eventually('v3 answers', async () => ((await httpGet(port)).body === 'from lib v3' ? 'yes' : undefined)), 'yes');
  } finally {
    await t.dispose();
  }
});
