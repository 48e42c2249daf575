import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { compilesItself, nodeOptions, readRunnerLine, withoutBuildSteps } from '../../src/engine/languages/node/runnerCommand';
import { readPackageJson } from '../../src/engine/languages/node/project';
import { scriptTargets } from '../../src/engine/languages/node/scriptTargets';
import { readSourceSet, workspaceRoot } from '../../src/engine/languages/node/sourceSet';
import { sourceFolder, specifierBetween, treePath } from '../../src/runtime/node/build/layout';
import { readAirToml } from '../../src/engine/settings/airToml/index';
import { tempDir, writeFile } from '../support/files';

function project(files: Record<string, string>): string {
  const dir = tempDir('hr-node-projects-');
  for (const [name, text] of Object.entries(files)) writeFile(path.join(dir, name), text);
  return dir;
}

const rel = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f)).sort();

test('sources: tsconfig.build.json before tsconfig.json, with include, exclude and extends; the entry whatever they say', () => {
  const dir = project({
    'package.json': '{}',
    'tsconfig.json': '{ "compilerOptions": { "outDir": "./dist", "emitDecoratorMetadata": true, "experimentalDecorators": true } }',
    'tsconfig.build.json': '{ "extends": "./tsconfig.json", "exclude": ["node_modules", "test", "dist", "**/*spec.ts"] }',
    'src/main.ts': '',
    'src/app.service.ts': '',
    'src/app.controller.spec.ts': '',
    'src/types.d.ts': '',
    'test/app.e2e-spec.ts': '',
    'dist/main.js': '',
    'node_modules/x/index.ts': '',
    'scripts/seed.ts': '',
  });
  const sources = readSourceSet(dir, path.join(dir, 'scripts', 'seed.ts'));
  assert.deepEqual(rel(dir, sources.files), ['scripts/seed.ts', 'src/app.service.ts', 'src/main.ts']);
  assert.equal(sources.tsconfig, path.join(dir, 'tsconfig.build.json'));
  assert.equal(sources.decoratorMetadata, true, 'followed through extends');
  assert.ok(sources.matches(path.join(dir, 'src', 'routes', 'new.ts')), 'a file that does not exist yet would be a source');
  assert.ok(!sources.matches(path.join(dir, 'src', 'new.spec.ts')));
  // rootDir is the folder common to the sources (scripts/ and src/: the package), outDir where tsc writes.
  assert.deepEqual(sources.layout, { root: dir, outDir: path.join(dir, 'dist'), rootDir: dir });
});

test('sources: without a tsconfig every script but tests and output folders; in a workspace the tree mirrors its root', () => {
  const root = project({
    'package.json': '{ "workspaces": ["packages/*"] }',
    'packages/api/package.json': '{}',
    'packages/api/server.js': '',
    'packages/api/lib/db.cjs': '',
    'packages/api/server.test.js': '',
    'packages/api/dist/server.js': '',
    'packages/api/__tests__/a.js': '',
  });
  const dir = path.join(root, 'packages', 'api');
  const sources = readSourceSet(dir);
  assert.deepEqual(rel(dir, sources.files), ['lib/db.cjs', 'server.js']);
  assert.equal(workspaceRoot(dir), root);
  assert.deepEqual(sources.layout, { root });
});

test('tree layout: a source under rootDir lands under outDir with its output extension; other files beside themselves', () => {
  const layout = { root: '/w', outDir: '/w/app/dist', rootDir: '/w/app/src' };
  assert.equal(treePath(layout, '/w/app/src/routes/root.ts'), 'app/dist/routes/root.js');
  assert.equal(treePath(layout, '/w/app/src/worker.mts'), 'app/dist/worker.mjs');
  assert.equal(treePath(layout, '/w/app/src/public/index.html'), 'app/dist/public/index.html');
  assert.equal(treePath(layout, '/w/lib/src/index.ts'), 'lib/src/index.js');
  assert.equal(treePath(layout, '/elsewhere/x.ts'), undefined);
  assert.equal(sourceFolder(layout, 'app/dist/routes'), '/w/app/src/routes');
  assert.equal(sourceFolder(layout, 'lib/src'), '/w/lib/src');
  assert.equal(specifierBetween('app/dist/app.js', 'app/dist/routes/root.js'), './routes/root.js');
  assert.equal(specifierBetween('app/dist/app.js', 'lib/src/index.js'), '../../lib/src/index.js');
});

test('run command: simple lines run as they are; package.json scripts run without their package manager, less the build steps before them', () => {
  const dir = project({
    'package.json': JSON.stringify({
      scripts: {
        start: 'npm run build:ts && fastify start -l info dist/app.js',
        'build:ts': 'tsc',
        dev: 'tsc -w & node dist/main.js',
        'start:prod': 'NODE_ENV=production node dist/main',
        test: 'node --test',
      },
    }),
  });
  assert.deepEqual(readRunnerLine('node dist/main.js --port 3000', dir), { words: ['node', 'dist/main.js', '--port', '3000'], env: {} });
  assert.deepEqual(readRunnerLine('npm start', dir), { words: ['fastify', 'start', '-l', 'info', 'dist/app.js'], env: {}, script: 'start' });
  assert.deepEqual(readRunnerLine('npm run start:prod -- --inspect', dir), {
    words: ['node', 'dist/main', '--inspect'],
    env: { NODE_ENV: 'production' },
    script: 'start:prod',
  });
  assert.deepEqual(readRunnerLine('pnpm dev', dir), { words: ['sh', '-c', 'tsc -w & node dist/main.js'], env: {}, script: 'dev' });
  assert.match(
    (readRunnerLine('npm run serve', dir) as { problem: string }).problem,
    /package\.json has no script "serve" \(it has start, build:ts, dev, start:prod, test\)/,
  );
  assert.match((readRunnerLine('node a.js | tee log', dir) as { problem: string }).problem, /needs a shell \("\|"\)/);
  assert.equal(withoutBuildSteps('rimraf dist && tsc && node dist/main.js'), 'node dist/main.js');
  assert.equal(withoutBuildSteps('npm run seed && node dist/main.js'), 'npm run seed && node dist/main.js', 'a step that is not a build stays');
  assert.deepEqual(
    scriptTargets(readPackageJson(dir)).map((s) => `${s.command}: ${s.line}`),
    ['npm start: fastify start -l info dist/app.js', 'npm run dev: tsc -w & node dist/main.js', 'npm run start:prod: NODE_ENV=production node dist/main'],
  );
});

test('run command: a runner that names a TypeScript source compiles it itself; NODE_OPTIONS keeps the user’s own, quoted paths first', () => {
  const dir = project({ 'src/app.ts': '', 'dist/app.js': '' });
  assert.equal(compilesItself(['tsx', 'watch', 'src/app.ts'], dir), true);
  assert.equal(compilesItself(['fastify', 'start', 'dist/app.js'], dir), false);
  assert.equal(compilesItself(['node', 'src/missing.ts'], dir), false);
  assert.equal(
    nodeOptions(['--enable-source-maps', '--require', '/a b/hook.js'], '--max-old-space-size=512'),
    '--enable-source-maps --require "/a b/hook.js" --max-old-space-size=512',
  );
  assert.equal(nodeOptions(['--enable-source-maps'], ''), '--enable-source-maps');
});

test('.air.toml in a Node project: build.full_bin is the run command, with no warning that it runs another program', () => {
  const dir = project({ 'package.json': '{}', '.air.toml': '[build]\nfull_bin = "fastify start -l info dist/app.js"\n' });
  const result = readAirToml(dir);
  assert.equal(result?.settings.command, 'fastify start -l info dist/app.js');
  assert.deepEqual(result?.problems, []);
  const go = project({ 'go.mod': 'module x\n', 'package.json': '{}', '.air.toml': '[build]\nfull_bin = "dlv exec ./tmp/main"\n' });
  assert.equal(readAirToml(go)?.settings.command, undefined, 'a Go project keeps air’s meaning');
});
