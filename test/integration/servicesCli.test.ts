/**
 * The CLI with several services: `hotreload` in a folder with a hotreload.toml runs them (here
 * `--only api`, which brings the db it depends on), one line per service once it is ready, each
 * service's lines prefixed with its name; `--all` in a folder without the file runs every main
 * package with a free port; a broken file is a clear error and starts nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, goAvailable } from '../support/examples';
import { httpGet } from '../support/http';
import { pidsWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';
import { runCli } from './cliRun';

const skip = goAvailable() ? false : 'go is not installed';

const portIn = (line: string) => Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]);

test('hotreload --only api runs the api and the db it depends on, prefixed, and stops them with itself', { skip }, async () => {
  const dir = copyExample('services');
  const cli = runCli(dir, ['--only', 'api', '--no-color']);
  let apiPort = 0;
  try {
    await cli.line(/^hotreload: db is ready on 127\.0\.0\.1:\d+/, 60_000);
    apiPort = portIn(await cli.line(/^hotreload: api is ready on 127\.0\.0\.1:\d+/, 120_000));
    assert.equal((await httpGet(apiPort)).body, 'api: hello');
    assert.doesNotMatch(cli.stderr(), /worker|gateway/, 'only the api and what it depends on');
    const file = path.join(dir, 'shared', 'greeting', 'greeting.go');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"hello"', '"from the cli"'));
    await cli.line(/^api\s+\| \[hotreload\] v2 handed-off/, 120_000);
    assert.equal((await httpGet(apiPort)).body, 'api: from the cli');
  } finally {
    await cli.stop();
  }
  await eventually('nothing of the services is left', () => (pidsWithEnv('API_PORT', String(apiPort)).length === 0 ? true : undefined));
});

test('hotreload --all runs every main package with a free port; a broken hotreload.toml starts nothing', { skip }, async () => {
  const dir = copyExample('services');
  fs.rmSync(path.join(dir, 'hotreload.toml'));
  const cli = runCli(dir, ['--all', '--no-color']);
  try {
    const api = portIn(await cli.line(/^hotreload: api is ready on 127\.0\.0\.1:\d+/, 120_000));
    const worker = portIn(await cli.line(/^hotreload: worker is ready on 127\.0\.0\.1:\d+/, 120_000));
    assert.equal((await httpGet(api)).body, 'api: hello');
    assert.equal((await httpGet(worker)).body, 'worker: hello');
  } finally {
    await cli.stop();
  }
  fs.writeFileSync(path.join(dir, 'hotreload.toml'), '[services.api]\ngo = "./cmd/api"\ndependsOn = ["nope"]\n');
  const broken = runCli(dir, ['--no-color']);
  await broken.line(/depends on "nope", which is not a service here/);
  await eventually('the CLI exits by itself', () => (broken.child.exitCode !== null ? true : undefined));
  await broken.stop();
  assert.equal(broken.child.exitCode, 1);
});
