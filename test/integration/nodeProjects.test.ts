/**
 * Real projects beside NestJS (nodeNest.test.ts): a fastify-cli app run by its own `npm start`
 * (the runner loads dist/app.js, and @fastify/autoload loads plugins/ and routes/ at run time from
 * the built tree), an Express service serving public/ beside its source, and an npm workspace whose
 * service imports a sibling package's TypeScript source. Each: start, an edit that reloads, a
 * syntax error in Problems while the old version serves, no request lost under load across
 * handoffs, and nothing left after stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answers, reloadsUnderLoad, startProject, syntaxErrorLandsInProblems } from './frameworks';
import { listTargets, openSession } from '../../src/engine';
import { httpGet } from '../support/http';
import { copyRealProject } from '../support/realProjects';

function rootRoute(dir: string, answer: string): void {
  fs.writeFileSync(
    path.join(dir, 'src', 'routes', 'root.ts'),
    `import { type FastifyPluginAsync } from 'fastify'\n\nconst root: FastifyPluginAsync = async (fastify, opts): Promise<void> => {\n  fastify.get('/', async function (request, reply) {\n    return { root: ${JSON.stringify(answer)} }\n  })\n}\n\nexport default root\n`,
  );
}

test('fastify: with no entry the scripts are offered; `npm start` runs fastify start on the built tree, and autoload finds plugins and routes, a new one included', async () => {
  const dir = copyRealProject('fastify');
  const none = await openSession(dir, [{}]);
  assert.equal(none.session, undefined);
  assert.match(
    none.problems.map((p) => p.message).join('\n'),
    /or run it with one of its package\.json scripts: npm start \(fastify start -l info dist\/app\.js\).*pick one with --command "npm start"/,
  );
  const { targets } = await listTargets(dir);
  assert.ok(
    targets.some((t) => t.settings.command === 'npm start'),
    JSON.stringify(targets),
  );

  const s = await startProject(dir, { command: 'npm start', strategy: 'restart' });
  try {
    assert.equal(s.first.outcome, 'started', s.first.message);
    await answers(s.port, '/', '{"root":true}');
    assert.equal((await httpGet(s.port, '/example')).body, 'this is an example', 'routes/example/index.ts, autoloaded');

    rootRoute(dir, 'edited');
    assert.equal((await s.t.report(2)).outcome, 'restarted');
    await answers(s.port, '/', '{"root":"edited"}');

    // A new folder of routes (autoload prefixes its routes with the folder's name).
    fs.mkdirSync(path.join(dir, 'src', 'routes', 'added'));
    fs.writeFileSync(
      path.join(dir, 'src', 'routes', 'added', 'index.ts'),
      "import { type FastifyPluginAsync } from 'fastify'\n\nconst added: FastifyPluginAsync = async (fastify) => {\n  fastify.get('/', async () => 'a route added while running')\n}\n\nexport default added\n",
    );
    assert.equal((await s.t.report(3)).outcome, 'restarted', 'a new source reloads');
    await answers(s.port, '/added', 'a route added while running');

    const root = path.join(dir, 'src', 'routes', 'root.ts');
    await syntaxErrorLandsInProblems(s, {
      file: root,
      broken: fs.readFileSync(root, 'utf8').replace("return { root: 'edited' }", 'return { root: }').replace('return { root: "edited" }', 'return { root: }'),
      line: 5,
      reportNumber: 4,
      path: '/',
      serving: '{"root":"edited"}',
    });
  } finally {
    await s.stop();
  }
});

test('fastify: handoffs of `fastify start` under load lose no request; patch falls back to a handoff and says why', async () => {
  const dir = copyRealProject('fastify');
  const s = await startProject(dir, { command: 'npm start', strategy: 'handoff' });
  try {
    assert.equal(s.first.outcome, 'started', s.first.message);
    await answers(s.port, '/', '{"root":true}');
    await reloadsUnderLoad(s, {
      reloads: 4,
      firstReport: 2,
      outcome: 'handed-off',
      path: '/',
      edit: (i) => rootRoute(dir, `v${i}`),
      expected: (i) => `{"root":"v${i}"}`,
    });
  } finally {
    await s.stop();
  }
  const patch = await startProject(dir, { command: 'npm start', strategy: 'patch' });
  try {
    rootRoute(dir, 'patched?');
    const report = await patch.t.report(2);
    assert.equal(report.outcome, 'handed-off', report.message);
    assert.match(report.message ?? '', /not patched: the run command \(npm start\) starts the program/);
    await answers(patch.port, '/', '{"root":"patched?"}');
  } finally {
    await patch.stop();
  }
});

test('express: a static folder beside the source is served, __dirname and import.meta name the built module beside it, handoffs lose no request', async () => {
  const dir = copyRealProject('express');
  const s = await startProject(dir, { strategy: 'handoff' });
  try {
    assert.equal(s.first.outcome, 'started', s.first.message);
    await answers(s.port, '/', /served from public\//);
    const where = JSON.parse((await httpGet(s.port, '/where')).body) as { dirname: string; filename: string; url: string; resolved: string };
    assert.equal(path.basename(where.dirname), 'dist', "tsc's outDir, as `node dist/server.js` has it");
    assert.equal(where.filename, path.join(where.dirname, 'server.js'));
    assert.equal(where.url, `file://${where.filename}`);
    assert.equal(fs.realpathSync(where.resolved), path.join(dir, 'src', 'public', 'index.html'), 'require.resolve of a file beside the source');

    fs.writeFileSync(path.join(dir, 'src', 'public', 'index.html'), '<!doctype html>\n<p>edited page</p>\n');
    await answers(s.port, '/', /edited page/);
    const greeting = path.join(dir, 'src', 'greeting.ts');
    const before = s.t.reports().length;
    await reloadsUnderLoad(s, {
      reloads: 3,
      firstReport: before + 1,
      outcome: 'handed-off',
      path: '/greeting',
      edit: (i) => fs.writeFileSync(greeting, `export function greeting(): string {\n  return 'express ${i}';\n}\n`),
      expected: (i) => `express ${i}`,
    });
    await syntaxErrorLandsInProblems(s, {
      file: greeting,
      broken: "export function greeting(): string {\n  return 'express' +;\n}\n",
      line: 2,
      reportNumber: s.t.reports().length + 1,
      path: '/greeting',
      serving: 'express 3',
    });
  } finally {
    await s.stop();
  }
});

for (const kind of ['workspace', 'pnpm-workspace'] as const)
  test(`${kind}: a service importing a sibling package’s TypeScript source builds it and reloads when it changes; paths, .js specifiers and JSON resolve`, async () => {
    const root = copyRealProject(kind);
    const dir = path.join(root, 'packages', 'service');
    const s = await startProject(dir, { strategy: 'restart' });
    try {
      assert.equal(s.first.outcome, 'started', s.first.message);
      await answers(s.port, '/', '[service] hello, workspace!');

      const shout = path.join(root, 'packages', 'greeter', 'src', 'shout.ts');
      fs.writeFileSync(shout, "export function shout(text: string): string {\n  return text + '?!';\n}\n");
      const reload = await s.t.report(2);
      assert.equal(reload.outcome, 'restarted', reload.message);
      assert.deepEqual(
        reload.changedFiles.map((c) => c.path),
        [shout],
      );
      await answers(s.port, '/', '[service] hello, workspace?!');

      fs.writeFileSync(path.join(dir, 'src', 'settings.json'), '{ "name": "JSON" }\n');
      assert.equal((await s.t.report(3)).outcome, 'restarted');
      await answers(s.port, '/', '[service] hello, JSON?!');

      await syntaxErrorLandsInProblems(s, {
        file: shout,
        broken: 'export function shout(text: string): string {\n  return text +;\n}\n',
        line: 2,
        reportNumber: 4,
        path: '/',
        serving: '[service] hello, JSON?!',
      });
    } finally {
      await s.stop();
    }
  });
