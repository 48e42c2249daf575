/**
 * A Node program that starts processes of its own (a child that ignores SIGTERM, a detached
 * daemon) under each strategy: a reload, a stop and an engine SIGKILL leave nothing of it, and
 * nothing of the esbuild worker (nor esbuild's own service) either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestSession } from './harness';
import { repoRoot } from '../support/examples';
import { httpGet } from '../support/http';
import { copyNodeExample } from '../support/nodeExamples';
import { freePort } from '../support/ports';
import { killProcessesWithEnv, processesWithEnv } from '../support/processes';
import { eventually } from '../support/waiting';

const cli = path.join(repoRoot, 'dist', 'cli.js');

function newMark(): [string, string] {
  return ['HR_MARK', crypto.randomBytes(6).toString('hex')];
}

for (const strategy of ['restart', 'handoff'] as const) {
  test(`node ${strategy}: a reload, a stop and an engine SIGKILL leave nothing of the program, its daemon or the esbuild worker`, async () => {
    const dir = copyNodeExample('node-spawner');
    const port = await freePort();
    const [name, value] = newMark();
    const mark = `${name}=${value}`;
    const build = `${name}=build-${value}`;
    const t = await TestSession.open(dir, {
      strategy,
      env: { PORT: String(port), [name]: value },
      buildEnv: { [name]: `build-${value}` },
      gracePeriodMs: 500,
      drainTimeoutMs: 500,
    });
    try {
      await t.session.start();
      await eventually('v1 answers', async () => (await httpGet(port)).body === 'node spawner v1', { timeoutMs: 30_000 });
      await eventually('v1, its worker child, its grandchild and its daemon run', () => processesWithEnv(mark, 'HOTRELOAD_VERSION=1').length >= 4);
      assert.ok(processesWithEnv(build).length >= 2, 'the esbuild worker and esbuild run');
      const index = path.join(dir, 'index.js');
      fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace("'node spawner v1'", "'node spawner v2'"));
      await eventually('v2 answers', async () => (await httpGet(port)).body === 'node spawner v2', { timeoutMs: 30_000 });
      await eventually('nothing of v1 is left after the reload', () => processesWithEnv(mark, 'HOTRELOAD_VERSION=1').length === 0, { timeoutMs: 5000 });
      assert.ok(processesWithEnv(mark, 'HOTRELOAD_VERSION=2').length >= 4, 'v2 and its processes run');
      await t.dispose();
      assert.deepEqual(processesWithEnv(mark), [], 'nothing of the program is left after stop');
      assert.deepEqual(processesWithEnv(build), [], 'nor of the esbuild worker');
    } finally {
      await t.dispose();
      killProcessesWithEnv(mark);
      killProcessesWithEnv(build);
    }

    const [engineName, engineValue] = newMark();
    const engineMark = `${engineName}=${engineValue}`;
    const engine = spawn(
      process.execPath,
      [cli, '--strategy', strategy, '--env', `PORT=${port}`, '--env', engineMark, '--build-env', engineMark, '--grace', '500'],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      await eventually('the CLI serves', async () => (await httpGet(port)).body === 'node spawner v2', { timeoutMs: 30_000 });
      await eventually('the program, its processes and the esbuild worker run', () => processesWithEnv(engineMark).length >= 6);
      engine.kill('SIGKILL');
      const killed = Date.now();
      await eventually('nothing is left after the engine was SIGKILLed', () => processesWithEnv(engineMark).length === 0, { timeoutMs: 1500 });
      console.log(`node ${strategy}: program tree and esbuild worker gone ${Date.now() - killed} ms after the engine's SIGKILL`);
    } finally {
      engine.kill('SIGKILL');
      killProcessesWithEnv(engineMark);
    }
  });
}
