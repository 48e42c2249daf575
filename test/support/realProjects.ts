/**
 * The real-project corpus: Node projects made at test time by the frameworks' own generators and
 * packages from the npm registry (nothing vendored), each made once per generator version (and
 * recipe) into the user's cache (~/.cache/hotreload/test-projects/) and copied for each test.
 *
 * - `nest`: `@nestjs/cli new` (a controller with constructor injection), plus a second module
 *   whose service the first module's service gets injected, so a request is answered across modules.
 * - `nest-swc`: the same with `@swc/cli`, `@swc/core` and `chokidar` added, as `nest start -b swc
 *   --watch` needs them (for the benchmark against it).
 * - `fastify`: `fastify-cli generate --lang=ts` (@fastify/autoload of plugins/ and routes/), run by
 *   its own `npm start` script (`fastify start -l info dist/app.js`).
 * - `express`: an Express service in TypeScript that serves `public/` beside its source
 *   (`express.static(path.join(__dirname, 'public'))`).
 * - `workspace`: an npm workspace whose service imports a sibling package's TypeScript source
 *   (linked in node_modules), with tsconfig `paths`, a `.js` specifier naming a `.ts` file and a
 *   JSON import; `pnpm-workspace`: the same made by pnpm (from npm), whose node_modules links
 *   differ (`.pnpm`, a link per package).
 *
 * Made from a clean cache, the corpus costs about what npm takes to install the projects'
 * dependencies: ~4 minutes for NestJS (its 430 packages), ~1 minute for fastify, seconds for the rest.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempDir, writeFile } from './files';

export type RealProject = 'nest' | 'nest-swc' | 'fastify' | 'express' | 'workspace' | 'pnpm-workspace';

/** Generators pinned to versions that support Node 20 (@nestjs/cli 12 needs Node 22). */
export const NEST_CLI = '@nestjs/cli@11.0.13';
export const FASTIFY_CLI = 'fastify-cli@8.0.2';
export const PNPM = 'pnpm@9.15.9';

interface Recipe {
  /** What the project is made with: part of its cache key. */
  version: string;
  make(dir: string): void;
  /** node_modules holds links into the project itself (a workspace's packages): the copy takes it whole. */
  copyModules?: boolean;
  /** What else `make` is made of, for the cache key (a helper it calls). */
  parts?: string;
}

const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

function run(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1', npm_config_yes: 'true' } });
}

function writeJson(file: string, value: unknown): void {
  writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

const RECIPES: Record<RealProject, Recipe> = {
  nest: {
    version: NEST_CLI,
    make(dir) {
      run('npx', ['-y', NEST_CLI, 'new', 'app', '--package-manager', 'npm', '--skip-git'], dir);
      const app = path.join(dir, 'app');
      // A second module, made by the project's own CLI, whose service is injected into the first module's.
      run('npx', ['nest', 'generate', 'module', 'greeting'], app);
      run('npx', ['nest', 'generate', 'service', 'greeting', '--no-spec'], app);
      const module = path.join(app, 'src', 'greeting', 'greeting.module.ts');
      fs.writeFileSync(
        module,
        fs.readFileSync(module, 'utf8').replace(/providers: \[GreetingService\]/, 'providers: [GreetingService],\n  exports: [GreetingService]'),
      );
      writeFile(
        path.join(app, 'src', 'greeting', 'greeting.service.ts'),
        "import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class GreetingService {\n  text(): string {\n    return 'Hello from the greeting module!';\n  }\n}\n",
      );
      writeFile(
        path.join(app, 'src', 'app.service.ts'),
        "import { Injectable } from '@nestjs/common';\nimport { GreetingService } from './greeting/greeting.service';\n\n@Injectable()\nexport class AppService {\n  constructor(private readonly greeting: GreetingService) {}\n\n  getHello(): string {\n    return this.greeting.text();\n  }\n}\n",
      );
      moveUp(app, dir);
    },
  },
  'nest-swc': {
    version: `${NEST_CLI}+swc`,
    make(dir) {
      fs.cpSync(madeProject('nest'), dir, { recursive: true, verbatimSymlinks: true, filter: (src) => path.basename(src) !== '.complete' });
      // chokidar: @swc/cli's --watch needs it (an optional peer); @swc/cli 0.7 takes chokidar 4, as @nestjs/cli 11 has it (0.8 wants 5).
      run('npm', ['install', '--save-dev', '@swc/cli@0.7', '@swc/core', 'chokidar@4', ...NPM_QUIET], dir);
    },
  },
  fastify: {
    version: FASTIFY_CLI,
    make(dir) {
      run('npx', ['-y', FASTIFY_CLI, 'generate', 'app', '--lang=ts'], dir);
      const app = path.join(dir, 'app');
      run('npm', ['install', ...NPM_QUIET], app);
      moveUp(app, dir);
    },
  },
  express: {
    version: 'express@5',
    make(dir) {
      writeJson(path.join(dir, 'package.json'), {
        name: 'express-static',
        private: true,
        main: 'dist/server.js',
        scripts: { build: 'tsc', start: 'node dist/server.js' },
        dependencies: { express: '^5.1.0' },
        devDependencies: { '@types/express': '^5.0.0', '@types/node': '^20.19.0', typescript: '~5.9.0' },
      });
      writeJson(path.join(dir, 'tsconfig.json'), {
        compilerOptions: { target: 'ES2022', module: 'commonjs', outDir: 'dist', rootDir: 'src', strict: true, esModuleInterop: true, skipLibCheck: true },
        include: ['src'],
      });
      writeFile(
        path.join(dir, 'src', 'server.ts'),
        [
          "import express from 'express';",
          "import path from 'node:path';",
          "import { greeting } from './greeting';",
          '',
          'const app = express();',
          "app.use(express.static(path.join(__dirname, 'public')));",
          "app.get('/greeting', (_req, res) => {",
          "  res.type('text/plain').send(greeting());",
          '});',
          "app.get('/where', (_req, res) => {",
          "  res.json({ dirname: __dirname, filename: __filename, url: import.meta.url, resolved: require.resolve('./public/index.html') });",
          '});',
          'const port = Number(process.env.PORT ?? 3000);',
          'app.listen(port, () => console.log(`express-static: serving on :${port}`));',
          '',
        ].join('\n'),
      );
      writeFile(path.join(dir, 'src', 'greeting.ts'), "export function greeting(): string {\n  return 'hello from express';\n}\n");
      writeFile(path.join(dir, 'src', 'public', 'index.html'), '<!doctype html>\n<title>static</title>\n<p>served from public/</p>\n');
      run('npm', ['install', ...NPM_QUIET], dir);
    },
  },
  workspace: {
    version: 'npm-workspaces-1',
    copyModules: true,
    parts: writeWorkspace.toString(),
    make(dir) {
      writeWorkspace(dir);
      run('npm', ['install', ...NPM_QUIET], dir);
    },
  },
  'pnpm-workspace': {
    version: PNPM,
    copyModules: true,
    parts: writeWorkspace.toString(),
    make(dir) {
      writeWorkspace(dir);
      writeFile(path.join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - "packages/*"\n');
      writeJson(path.join(dir, 'packages', 'service', 'package.json'), {
        name: '@corpus/service',
        version: '1.0.0',
        main: 'dist/server.js',
        dependencies: { '@corpus/greeter': 'workspace:*' },
      });
      run('npx', ['-y', PNPM, 'install', '--reporter=silent'], dir);
    },
  },
};

/** An npm workspace: packages/greeter (TypeScript source as its main) and packages/service, which imports it. */
function writeWorkspace(dir: string): void {
  writeJson(path.join(dir, 'package.json'), { name: 'corpus-workspace', private: true, workspaces: ['packages/*'] });
  writeJson(path.join(dir, 'packages', 'greeter', 'package.json'), { name: '@corpus/greeter', version: '1.0.0', main: 'src/index.ts' });
  writeFile(
    path.join(dir, 'packages', 'greeter', 'src', 'index.ts'),
    "import { shout } from './shout';\n\nexport function greet(name: string): string {\n  return shout(`hello, ${name}`);\n}\n",
  );
  writeFile(path.join(dir, 'packages', 'greeter', 'src', 'shout.ts'), "export function shout(text: string): string {\n  return text + '!';\n}\n");
  writeJson(path.join(dir, 'packages', 'service', 'package.json'), {
    name: '@corpus/service',
    version: '1.0.0',
    main: 'dist/server.js',
    dependencies: { '@corpus/greeter': '*' },
  });
  writeJson(path.join(dir, 'packages', 'service', 'tsconfig.json'), {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      outDir: 'dist',
      rootDir: 'src',
      strict: true,
      resolveJsonModule: true,
      esModuleInterop: true,
      baseUrl: '.',
      paths: { '@app/*': ['src/*'] },
    },
    include: ['src'],
  });
  writeFile(
    path.join(dir, 'packages', 'service', 'src', 'server.ts'),
    [
      "import http from 'node:http';",
      "import { greet } from '@corpus/greeter';",
      "import { label } from '@app/label.js';",
      "import settings from './settings.json';",
      '',
      'const port = Number(process.env.PORT ?? 3000);',
      'http',
      '  .createServer((_req, res) => {',
      "    res.setHeader('content-type', 'text/plain');",
      '    res.end(`${label(greet(settings.name))}\\n`);',
      '  })',
      '  .listen(port, () => console.log(`workspace service: serving on :${port}`));',
      '',
    ].join('\n'),
  );
  writeFile(path.join(dir, 'packages', 'service', 'src', 'label.ts'), 'export function label(text: string): string {\n  return `[service] ${text}`;\n}\n');
  writeJson(path.join(dir, 'packages', 'service', 'src', 'settings.json'), { name: 'workspace' });
}

/** Moves a generated project's files from `from` up into `to` (generators make a folder of their own). */
function moveUp(from: string, to: string): void {
  for (const entry of fs.readdirSync(from)) fs.renameSync(path.join(from, entry), path.join(to, entry));
  fs.rmdirSync(from);
}

/** The folder that holds the made projects: the user's cache (never a test's own XDG_CACHE_HOME). */
function corpusRoot(): string {
  return process.env.HR_CORPUS_DIR ?? path.join(os.homedir(), '.cache', 'hotreload', 'test-projects');
}

/** The project as its generator made it, made now if it is not in the cache yet. */
export function madeProject(name: RealProject): string {
  const recipe = RECIPES[name];
  const key = crypto
    .createHash('sha256')
    .update(`${recipe.version}\n${recipe.make.toString()}\n${recipe.parts ?? ''}`)
    .digest('hex')
    .slice(0, 10);
  const dir = path.join(corpusRoot(), `${name}-${recipe.version.replace(/[^\w.@-]/g, '_')}-${key}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const staging = `${dir}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    recipe.make(staging);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  fs.writeFileSync(path.join(staging, '.complete'), '');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return dir;
}

/**
 * A private copy of a corpus project to edit freely: its files copied, its node_modules linked
 * to the made one's (copied whole for a workspace, whose node_modules links its own packages).
 */
export function copyRealProject(name: RealProject): string {
  const made = madeProject(name);
  const dir = tempDir(`hr-${name}-`);
  const copyModules = RECIPES[name].copyModules === true;
  fs.cpSync(made, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => path.basename(src) !== '.complete' && (copyModules || path.relative(made, src) !== 'node_modules'),
  });
  if (!copyModules) fs.symlinkSync(path.join(made, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}
