import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { defaultSettings } from '../../src/engine/settings/defaults';
import type { Settings } from '../../src/engine/settings/types';
import { compilePathRegex } from '../../src/engine/kernel/pathPatterns';
import { createPathFilter, isEditorTempFile } from '../../src/engine/watch/filter';
import { tempDir, writeFile } from '../support/files';

/** A project folder named `name` in a temp folder of its own. */
function tmp(name = 'proj'): string {
  const root = path.join(tempDir('hr-filter-'), name);
  fs.mkdirSync(root);
  return root;
}

/** Asserts what `filter` says of each path, given relative to `root` with forward slashes. */
function expectAccepts(filter: { accepts(file: string): boolean }, root: string, expected: Record<string, boolean>): void {
  for (const [relative, accepted] of Object.entries(expected)) assert.equal(filter.accepts(path.join(root, ...relative.split('/'))), accepted, relative);
}

function settings(root: string, overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(root), ...overrides };
}

test('filter: files under root with a watched extension count; others and outside root do not', () => {
  const root = tmp();
  const f = createPathFilter(settings(root));
  expectAccepts(f, root, {
    'main.go': true,
    'go.mod': true,
    'go.sum': true,
    'web/index.html': true,
    'web/page.gohtml': true,
    'MAIN.GO': true, // extension compared without case
    'README.md': false,
    Makefile: false,
  });
  assert.equal(f.accepts(path.join(path.dirname(root), 'other.go')), false);
  assert.equal(f.accepts(path.join(path.dirname(root), 'proj2', 'x.go')), false); // a sibling sharing the prefix
  assert.equal(f.accepts(root), false);
});

test('filter: empty extensions means any; leading dots are tolerated', () => {
  const root = tmp();
  const any = createPathFilter(settings(root, { extensions: [] }));
  expectAccepts(any, root, {
    'README.md': true,
    Makefile: true,
  });
  const dotted = createPathFilter(settings(root, { extensions: ['.go', 'CSS'] }));
  expectAccepts(dotted, root, {
    'a.go': true,
    'a.css': true,
    'a.sql': false,
  });
});

test('filter: .git, vendor, node_modules (at any depth), the work dir and the binary never count', () => {
  const root = tmp();
  const binary = path.join(root, 'tmp', 'main.go'); // a silly name, to be sure the extension does not save it
  const f = createPathFilter(settings(root, { extensions: [], binary, workDir: path.join(root, '.hotreload') }));
  for (const p of [
    '.git/HEAD',
    '.git/hooks/pre-commit.go',
    'vendor/example.com/dep/dep.go',
    'sub/vendor/x.go',
    'node_modules/pkg/index.js',
    'web/node_modules/pkg/x.go',
    '.hotreload/builds/app-1',
    'tmp/main.go',
  ]) {
    assert.equal(f.accepts(path.join(root, ...p.split('/'))), false, p);
  }
  expectAccepts(f, root, {
    'tmp/other.go': true,
    'vendors/x.go': true,
    'my.git/x.go': true,
    '.hotreloadx/x.go': true,
  });
});

test('filter: editor temp files never count', () => {
  const root = tmp();
  const f = createPathFilter(settings(root, { extensions: [] }));
  for (const name of [
    'main.go~',
    '.#main.go',
    '#main.go#',
    '.main.go.swp',
    '.main.go.swx',
    '.main.go.swo',
    'main.go.tmp',
    '4913',
    'main.go___jb_tmp___',
    'main.go___jb_old___',
    '.main.go.kate-swp',
    '.goutputstream-ABC123',
  ]) {
    assert.equal(isEditorTempFile(name), true, name);
    assert.equal(f.accepts(path.join(root, 'pkg', name)), false, name);
  }
  for (const name of ['main.go', 'swap.go', '49130', 'temp.go', '.env']) {
    assert.equal(isEditorTempFile(name), false, name);
    assert.equal(f.accepts(path.join(root, name)), true, name);
  }
});

test('filter: include globs (empty = all), dotfiles allowed, a directory pattern covers its files', () => {
  const root = tmp();
  const f = createPathFilter(settings(root, { extensions: [], include: ['cmd/**', 'internal', './pkg/*.go', '**/*.env'] }));
  expectAccepts(f, root, {
    'cmd/api/main.go': true,
    'cmd/.hidden/x.go': true,
    'internal/db/db.go': true,
    'pkg/x.go': true,
    'pkg/deep/x.go': false,
    'config/.env': true,
    'main.go': false,
    'internalx/a.go': false,
  });
});

test('filter: exclude globs and excludeRegex', () => {
  const root = tmp();
  const f = createPathFilter(
    settings(root, {
      exclude: ['tmp/**', 'assets', 'gen/*.pb.go', '**/*.generated.go', '.cache/'],
      excludeRegex: ['_test\\.go$', '(?i)^DOCS/'],
    }),
  );
  expectAccepts(f, root, {
    'tmp/x.go': false,
    'assets/deep/x.go': false,
    'gen/a.pb.go': false,
    'gen/a.go': true,
    'x/y/z.generated.go': false,
    '.cache/z.go': false,
    'pkg/a_test.go': false,
    'pkg/a.go': true,
    'docs/a.go': false,
    'mydocs/a.go': true,
  });
});

test('filter: a bad regex does not make the filter throw', () => {
  const root = tmp();
  const f = createPathFilter(settings(root, { excludeRegex: ['(', 'x\\.go$'] }));
  expectAccepts(f, root, {
    'x.go': false,
    'y.go': true,
  });
  assert.throws(() => compilePathRegex('('), SyntaxError);
  assert.equal(compilePathRegex('(?i)abc').test('ABC'), true);
});

test('filter: alwaysInclude counts whatever the extension and gitignore say, but not past exclude', () => {
  const root = tmp();
  writeFile(path.join(root, '.gitignore'), '.env\n');
  const f = createPathFilter(settings(root, { alwaysInclude: ['.env', 'config/*.yaml'], exclude: ['config/secret.yaml'] }));
  expectAccepts(f, root, {
    '.env': true,
    'config/app.yaml': true,
    'config/secret.yaml': false,
    'other.yaml': false,
  });
});

test('filter: .gitignore at root, nested .gitignore files, negations and .git/info/exclude', () => {
  const root = tmp();
  fs.mkdirSync(path.join(root, '.git', 'info'), { recursive: true });
  writeFile(path.join(root, '.git', 'info', 'exclude'), 'local/\n');
  writeFile(path.join(root, '.gitignore'), '# build output\n/bin/\n*.gen.go\ndist\n');
  writeFile(path.join(root, 'svc', '.gitignore'), 'mocks/\n!keep.gen.go\n');
  writeFile(path.join(root, 'svc', 'deep', '.gitignore'), 'secret.go\n');
  const f = createPathFilter(settings(root));
  const accepts = (p: string) => f.accepts(path.join(root, ...p.split('/')));
  assert.equal(accepts('bin/x.go'), false);
  assert.equal(accepts('svc/bin/x.go'), true); // "/bin/" is anchored to the root .gitignore
  assert.equal(accepts('a.gen.go'), false);
  assert.equal(accepts('svc/x/a.gen.go'), false);
  assert.equal(accepts('svc/keep.gen.go'), true); // re-included by the nested file
  assert.equal(accepts('keep.gen.go'), false); // the negation only applies under svc/
  assert.equal(accepts('svc/mocks/m.go'), false);
  assert.equal(accepts('mocks/m.go'), true);
  assert.equal(accepts('svc/deep/secret.go'), false);
  assert.equal(accepts('svc/secret.go'), true);
  assert.equal(accepts('dist/a.go'), false);
  assert.equal(accepts('local/a.go'), false);
  assert.equal(accepts('main.go'), true);

  const off = createPathFilter(settings(root, { useGitignore: false }));
  expectAccepts(off, root, {
    'bin/x.go': true,
    'local/a.go': true,
  });
});

test('filter: nothing is re-included inside an ignored directory', () => {
  const root = tmp();
  writeFile(path.join(root, '.gitignore'), 'build/\n');
  writeFile(path.join(root, 'build', '.gitignore'), '!*.go\n');
  const f = createPathFilter(settings(root));
  assert.equal(f.accepts(path.join(root, 'build', 'x.go')), false);
});

test('filter: .gitignore rules of the repository above root apply below root', () => {
  const repo = tmp('repo');
  fs.mkdirSync(path.join(repo, '.git'));
  writeFile(path.join(repo, '.gitignore'), '*.pb.go\nservices/api/ignored/\n');
  const root = path.join(repo, 'services', 'api');
  fs.mkdirSync(root, { recursive: true });
  const f = createPathFilter(settings(root));
  expectAccepts(f, root, {
    'x.pb.go': false,
    'ignored/x.go': false,
    'x.go': true,
  });
});

test('filter: opening a folder git ignores still watches it', () => {
  const repo = tmp('repo');
  fs.mkdirSync(path.join(repo, '.git'));
  writeFile(path.join(repo, '.gitignore'), 'sandbox/\n');
  const root = path.join(repo, 'sandbox');
  fs.mkdirSync(root);
  const f = createPathFilter(settings(root));
  assert.equal(f.accepts(path.join(root, 'main.go')), true);
  assert.equal(f.ignoresDir(path.join(root, 'pkg')), false);
});

test('filter: a .gitignore added while running is picked up when the watcher reports it', () => {
  const root = tmp();
  const f = createPathFilter(settings(root));
  const file = path.join(root, 'gen', 'out.go');
  assert.equal(f.accepts(file), true);
  const gitignore = writeFile(path.join(root, 'gen', '.gitignore'), 'out.go\n');
  assert.equal(f.accepts(file), true); // still cached
  assert.equal(f.accepts(gitignore), false); // the watcher passes the event: cache dropped
  assert.equal(f.accepts(file), false);

  fs.writeFileSync(gitignore, '');
  f.reloadGitignore();
  assert.equal(f.accepts(file), true);

  // the root .gitignore, edited while running
  const main = path.join(root, 'main.go');
  assert.equal(f.accepts(main), true);
  const rootIgnore = writeFile(path.join(root, '.gitignore'), 'main.go\n');
  f.accepts(rootIgnore);
  assert.equal(f.accepts(main), false);
});

test('filter: paths with spaces and non-ASCII characters', () => {
  const root = tmp('my projét 日本');
  writeFile(path.join(root, '.gitignore'), 'données privées/\n');
  const f = createPathFilter(settings(root, { exclude: ['vieux code/**'], include: [], workDir: path.join(root, 'work dir') }));
  expectAccepts(f, root, {
    'cmd/sérveur/main.go': true,
    'a b/c d.go': true,
    'données privées/x.go': false,
    'vieux code/x.go': false,
    'work dir/x.go': false,
  });
  assert.equal(f.ignoresDir(path.join(root, 'données privées')), true);
  assert.equal(f.ignoresDir(path.join(root, 'vieux code')), true);
  assert.equal(f.ignoresDir(path.join(root, 'a b')), false);
  const inc = createPathFilter(settings(root, { include: ['cmd/sérveur/**'] }));
  expectAccepts(inc, root, {
    'cmd/sérveur/main.go': true,
    'cmd/other/main.go': false,
  });
  // the same name in decomposed form (as macOS may report it) still matches
  assert.equal(inc.accepts(path.join(root, 'cmd', 'sérveur'.normalize('NFD'), 'main.go')), true);
});

test('filter: ignoresDir skips only directories where nothing could count', () => {
  const root = tmp();
  writeFile(path.join(root, '.gitignore'), 'bin/\n');
  const f = createPathFilter(settings(root, { exclude: ['tmp/**', 'assets'], excludeRegex: ['^pkg/'] }));
  const dir = (p: string) => f.ignoresDir(path.join(root, ...p.split('/')));
  assert.equal(dir('.git'), true);
  assert.equal(dir('.git/objects'), true);
  assert.equal(dir('vendor'), true);
  assert.equal(dir('web/node_modules'), true);
  assert.equal(dir('.hotreload'), true);
  assert.equal(dir('tmp'), true);
  assert.equal(dir('tmp/x'), true);
  assert.equal(dir('assets'), true);
  assert.equal(dir('bin'), true);
  assert.equal(dir('pkg'), false); // regexes never prune directories
  assert.equal(dir('cmd'), false);
  assert.equal(f.ignoresDir(root), false);
  assert.equal(f.ignoresDir(path.dirname(root)), true);
  assert.equal(f.ignoresDir(path.join(path.dirname(root), 'elsewhere')), true);

  const inc = createPathFilter(settings(root, { include: ['cmd/api/**'], alwaysInclude: ['bin/keep.go'] }));
  assert.equal(inc.ignoresDir(path.join(root, 'cmd')), false);
  assert.equal(inc.ignoresDir(path.join(root, 'cmd', 'api', 'x')), false);
  assert.equal(inc.ignoresDir(path.join(root, 'internal')), true);
  assert.equal(inc.ignoresDir(path.join(root, 'bin')), false); // alwaysInclude reaches into it, despite .gitignore
  assert.equal(inc.accepts(path.join(root, 'bin', 'keep.go')), true);
});

test('filter: ignoreGlobs skip .git, node_modules, vendor, the work dir and excludes, as @parcel/watcher matches them', () => {
  const root = tmp();
  const f = createPathFilter(settings(root, { exclude: ['tmp/**', 'assets'], workDir: path.join(root, 'build (dev)', '.hr') }));
  const globs = f.ignoreGlobs();
  // @parcel/watcher: globs via picomatch with dot: true on root-relative paths.
  const matchers = globs.map((g) => picomatch(g, { dot: true }));
  const ignored = (rel: string) => matchers.some((m) => m(rel));
  for (const rel of [
    '.git',
    '.git/objects/ab',
    'node_modules',
    'web/node_modules/x/y.js',
    'vendor',
    'a/vendor/b.go',
    'tmp',
    'tmp/main',
    'assets',
    'assets/x.png',
    'build (dev)/.hr',
    'build (dev)/.hr/builds/1',
  ]) {
    assert.equal(ignored(rel), true, rel);
  }
  for (const rel of ['main.go', 'cmd/api/main.go', 'build (dev)/x.go', 'vendors/x.go']) {
    assert.equal(ignored(rel), false, rel);
  }
  // a negated exclude is never handed to the watcher, which would then skip nearly everything
  assert.deepEqual(
    createPathFilter(settings(root, { exclude: ['!keep.go'] }))
      .ignoreGlobs()
      .filter((g) => g.includes('keep')),
    [],
  );
});

test('filter: a symlinked root accepts paths reported through its real path', { skip: process.platform === 'win32' }, () => {
  const real = tmp('real');
  const link = path.join(path.dirname(real), 'link');
  fs.symlinkSync(real, link);
  const f = createPathFilter(settings(link));
  assert.equal(f.accepts(path.join(link, 'main.go')), true);
  assert.equal(f.accepts(path.join(real, 'main.go')), true);
  assert.equal(f.accepts(path.join(real, '.hotreload', 'x.go')), false);
});

test('Go test files never trigger a rebuild: they do not change the binary', () => {
  const root = tempDir('hr-filter-test-');
  const filter = createPathFilter(defaultSettings(root));
  expectAccepts(filter, root, {
    'main_test.go': false,
    'main.go': true,
  });
});

test('files the build reads besides the sources (acceptAlso): accepted whatever their extension or gitignore, unless excluded; each list replaces the last', () => {
  const root = tempDir('hr-filter-extra-');
  writeFile(path.join(root, '.gitignore'), 'dist/\n');
  const page = writeFile(path.join(root, 'static', 'page.txt'));
  const built = writeFile(path.join(root, 'dist', 'app.js'));
  const secret = writeFile(path.join(root, 'private', 'key.txt'));
  const filter = createPathFilter({ ...defaultSettings(root), exclude: ['private'] });
  assert.equal(filter.accepts(page), false, 'a .txt file is not a Go source');
  assert.equal(filter.ignoresDir(path.join(root, 'dist')), true, 'git ignores dist/');
  filter.acceptAlso([page, built, secret]);
  assert.equal(filter.accepts(page), true);
  assert.equal(filter.accepts(built), true, 'embedded, though git ignores it');
  assert.equal(filter.ignoresDir(path.join(root, 'dist')), false, 'its folder is watched');
  assert.equal(filter.accepts(secret), false, 'an exclude glob still wins');
  filter.acceptAlso([built]);
  assert.equal(filter.accepts(page), false, 'no longer embedded');
});
