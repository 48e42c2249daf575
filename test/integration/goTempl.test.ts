/**
 * templ, as its docs set a project up today: the CLI as a Go tool of the module (`go get -tool
 * github.com/a-h/templ/cmd/templ`), `go tool templ generate` as the pre-build command and `.templ`
 * among the watched extensions. An edit of a component reloads once with the regenerated code
 * (the `_templ.go` file it writes joins that reload), and a templ syntax error fails the build
 * while the old version serves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession } from './harness';
import { goAvailable } from '../support/examples';
import { tempDir } from '../support/files';
import { httpGet } from '../support/http';
import { eventually } from '../support/waiting';

const TEMPL = 'github.com/a-h/templ@v0.3.1118';
const skip = goAvailable() ? false : 'go is not installed';

const MAIN = `package main

import (
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _ = hello("templ").Render(r.Context(), w) })
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
`;

const component = (greeting: string) => `package main\n\ntempl hello(name string) {\n\t<p>${greeting}, { name }</p>\n}\n`;

test(
  'templ: an edit of a component reloads once with the regenerated code; a templ error keeps the old version serving',
  { skip, timeout: 600_000 },
  async () => {
    const dir = tempDir('hr-templ-');
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/templapp\n\ngo 1.24\n');
    fs.writeFileSync(path.join(dir, 'main.go'), MAIN);
    fs.writeFileSync(path.join(dir, 'hello.templ'), component('Hello'));
    execFileSync('go', ['get', '-tool', `${TEMPL.replace('@', '/cmd/templ@')}`], { cwd: dir, stdio: 'ignore' });
    execFileSync('go', ['get', TEMPL], { cwd: dir, stdio: 'ignore' });
    execFileSync('go', ['tool', 'templ', 'generate'], { cwd: dir, stdio: 'ignore' });
    execFileSync('go', ['mod', 'tidy'], { cwd: dir, stdio: 'ignore' });
    const { t, port, first } = await startSession(dir, {
      strategy: 'restart',
      preBuildCommands: ['go tool templ generate'],
      extensions: ['go', 'mod', 'sum', 'templ'],
    });
    try {
      assert.equal(first.outcome, 'started', first.message);
      assert.equal((await eventually('v1 answers', () => httpGet(port))).body, '<p>Hello, templ</p>');
      fs.writeFileSync(path.join(dir, 'hello.templ'), component('Howdy'));
      const second = await t.report(2);
      assert.equal(second.outcome, 'restarted', second.message);
      assert.ok(
        second.changedFiles.some((f) => path.basename(f.path) === 'hello.templ'),
        JSON.stringify(second.changedFiles),
      );
      assert.equal(await eventually('v2 answers', async () => ((await httpGet(port)).body === '<p>Howdy, templ</p>' ? 'yes' : undefined)), 'yes');
      // A templ syntax error: the generator fails, the build with it, and v2 keeps serving.
      fs.writeFileSync(path.join(dir, 'hello.templ'), 'package main\n\ntempl hello(name string) {\n\t<p>{ name </p>\n}\n');
      const failed = await t.report(3);
      assert.equal(failed.outcome, 'build-failed');
      assert.match(failed.message ?? '', /pre-build command `go tool templ generate` failed/);
      assert.equal((await httpGet(port)).body, '<p>Howdy, templ</p>');
      fs.writeFileSync(path.join(dir, 'hello.templ'), component('Hi'));
      assert.equal((await t.report(4)).outcome, 'restarted');
      assert.equal(await eventually('v3 answers', async () => ((await httpGet(port)).body === '<p>Hi, templ</p>' ? 'yes' : undefined)), 'yes');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(
        t.reports().length,
        4,
        `no reload from the generated files: ${t
          .reports()
          .map((r) => r.outcome)
          .join(', ')}`,
      );
    } finally {
      await t.dispose();
    }
  },
);
