import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { defaultSettings } from '../../src/engine/settings/defaults';
import type { Settings } from '../../src/engine/settings/types';
import { compilePathRegex, createPathFilter, isEditorTempFile } from '../../src/engine/watch/filter';

function tmp(name = 'proj'): string {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hr-filter-')));
  const root = path.join(base, name);
  fs.mkdirSync(root);
  return root;
}

function write(file: string, text = ''): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function settings(root: string, overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(root), ...overrides };
}

test('filter: files under root with a watched extension count; others and outside root do not', () => {
  const root = tmp();
  const f = createPathFilter(settings(root));
  assert.equal(f.accepts(path.join(root, 'main.go')), true);
  assert.equal(f.accepts(path.join(root, 'go.mod')), true);
  assert.equal(f.accepts(path.join(root, 'go.sum')), true);
  assert.equal(f.accepts(path.join(root, 'web', 'index.html')), true);
  assert.equal(f.accepts(path.join(root, 'web', 'page.gohtml')), true);
  assert.equal(f.accepts(path.join(root, 'MAIN.GO')), true); // extension compared without case
  assert.equal(f.accepts(path.join(root, 'README.md')), false);
  assert.equal(f.accepts(path.join(root, 'Makefile')), false);
  assert.equal(f.accepts(path.join(path.dirname(root), 'other.go')), false);
  assert.equal(f.accepts(path.join(path.dirname(root), 'proj2', 'x.go')), false); // a sibling sharing the prefix
  assert.equal(f.accepts(root), false);
});

test('filter: empty extensions means any; leading dots are tolerated', () => {
  const root = tmp();
  const any = createPathFilter(settings(root, { extensions: [] }));
  assert.equal(any.accepts(path.join(root, 'README.md')), true);
  assert.equal(any.accepts(path.join(root, 'Makefile')), true);
  const dotted = createPathFilter(settings(root, { extensions: ['.go', 'CSS'] }));
  assert.equal(dotted.accepts(path.join(root, 'a.go')), true);
  assert.equal(dotted.accepts(path.join(root, 'a.css')), true);
  assert.equal(dotted.accepts(path.join(root, 'a.sql')), false);
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
  assert.equal(f.accepts(path.join(root, 'tmp', 'other.go')), true);
  assert.equal(f.accepts(path.join(root, 'vendors', 'x.go')), true);
  assert.equal(f.accepts(path.join(root, 'my.git', 'x.go')), true);
  assert.equal(f.accepts(path.join(root, '.hotreloadx', 'x.go')), true);
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
  assert.equal(f.accepts(path.join(root, 'cmd', 'api', 'main.go')), true);
  assert.equal(f.accepts(path.join(root, 'cmd', '.hidden', 'x.go')), true);
  assert.equal(f.accepts(path.join(root, 'internal', 'db', 'db.go')), true);
  assert.equal(f.accepts(path.join(root, 'pkg', 'x.go')), true);
  assert.equal(f.accepts(path.join(root, 'pkg', 'deep', 'x.go')), false);
  assert.equal(f.accepts(path.join(root, 'config', '.env')), true);
  assert.equal(f.accepts(path.join(root, 'main.go')), false);
  assert.equal(f.accepts(path.join(root, 'internalx', 'a.go')), false);
});

test('filter: exclude globs and excludeRegex', () => {
  const root = tmp();
  const f = createPathFilter(
    settings(root, {
      exclude: ['tmp/**', 'assets', 'gen/*.pb.go', '**/*.generated.go', '.cache/'],
      excludeRegex: ['_test\\.go$', '(?i)^DOCS/'],
    }),
  );
  assert.equal(f.accepts(path.join(root, 'tmp', 'x.go')), false);
  assert.equal(f.accepts(path.join(root, 'assets', 'deep', 'x.go')), false);
  assert.equal(f.accepts(path.join(root, 'gen', 'a.pb.go')), false);
  assert.equal(f.accepts(path.join(root, 'gen', 'a.go')), true);
  assert.equal(f.accepts(path.join(root, 'x', 'y', 'z.generated.go')), false);
  assert.equal(f.accepts(path.join(root, '.cache', 'z.go')), false);
  assert.equal(f.accepts(path.join(root, 'pkg', 'a_test.go')), false);
  assert.equal(f.accepts(path.join(root, 'pkg', 'a.go')), true);
  assert.equal(f.accepts(path.join(root, 'docs', 'a.go')), false);
  assert.equal(f.accepts(path.join(root, 'mydocs', 'a.go')), true);
});

test('filter: a bad regex does not make the filter throw', () => {
  const root = tmp();
  const f = createPathFilter(settings(root, { excludeRegex: ['(', 'x\\.go$'] }));
  assert.equal(f.accepts(path.join(root, 'x.go')), false);
  assert.equal(f.accepts(path.join(root, 'y.go')), true);
  assert.throws(() => compilePathRegex('('), SyntaxError);
  assert.equal(compilePathRegex('(?i)abc').test('ABC'), true);
});

test('filter: alwaysInclude counts whatever the extension and gitignore say, but not past exclude', () => {
  const root = tmp();
  write(path.join(root, '.gitignore'), '.env\n');
  const f = createPathFilter(settings(root, { alwaysInclude: ['.env', 'config/*.yaml'], exclude: ['config/secret.yaml'] }));
  assert.equal(f.accepts(path.join(root, '.env')), true);
  assert.equal(f.accepts(path.join(root, 'config', 'app.yaml')), true);
  assert.equal(f.accepts(path.join(root, 'config', 'secret.yaml')), false);
  assert.equal(f.accepts(path.join(root, 'other.yaml')), false);
});

test('filter: .gitignore at root, nested .gitignore files, negations and .git/info/exclude', () => {
  const root = tmp();
  fs.mkdirSync(path.join(root, '.git', 'info'), { recursive: true });
  write(path.join(root, '.git', 'info', 'exclude'), 'local/\n');
  write(path.join(root, '.gitignore'), '# build output\n/bin/\n*.gen.go\ndist\n');
  write(path.join(root, 'svc', '.gitignore'), 'mocks/\n!keep.gen.go\n');
  write(path.join(root, 'svc', 'deep', '.gitignore'), 'secret.go\n');
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
  assert.equal(off.accepts(path.join(root, 'bin', 'x.go')), true);
  assert.equal(off.accepts(path.join(root, 'local', 'a.go')), true);
});

test('filter: nothing is re-included inside an ignored directory', () => {
  const root = tmp();
  write(path.join(root, '.gitignore'), 'build/\n');
  write(path.join(root, 'build', '.gitignore'), '!*.go\n');
  const f = createPathFilter(settings(root));
  assert.equal(f.accepts(path.join(root, 'build', 'x.go')), false);
});

test('filter: .gitignore rules of the repository above root apply below root', () => {
  const repo = tmp('repo');
  fs.mkdirSync(path.join(repo, '.git'));
  write(path.join(repo, '.gitignore'), '*.pb.go\nservices/api/ignored/\n');
  const root = path.join(repo, 'services', 'api');
  fs.mkdirSync(root, { recursive: true });
  const f = createPathFilter(settings(root));
  assert.equal(f.accepts(path.join(root, 'x.pb.go')), false);
  assert.equal(f.accepts(path.join(root, 'ignored', 'x.go')), false);
  assert.equal(f.accepts(path.join(root, 'x.go')), true);
});

test('filter: opening a folder git ignores still watches it', () => {
  const repo = tmp('repo');
  fs.mkdirSync(path.join(repo, '.git'));
  write(path.join(repo, '.gitignore'), 'sandbox/\n');
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
  const gitignore = write(path.join(root, 'gen', '.gitignore'), 'out.go\n');
  assert.equal(f.accepts(file), true); // still cached
  assert.equal(f.accepts(gitignore), false); // the watcher passes the event: cache dropped
  assert.equal(f.accepts(file), false);

  fs.writeFileSync(gitignore, '');
  f.reloadGitignore();
  assert.equal(f.accepts(file), true);

  // the root .gitignore, edited while running
  const main = path.join(root, 'main.go');
  assert.equal(f.accepts(main), true);
  const rootIgnore = write(path.join(root, '.gitignore'), 'main.go\n');
  f.accepts(rootIgnore);
  assert.equal(f.accepts(main), false);
});

test('filter: paths with spaces and non-ASCII characters', () => {
  const root = tmp('my projét 日本');
  write(path.join(root, '.gitignore'), 'données privées/\n');
  const f = createPathFilter(settings(root, { exclude: ['vieux code/**'], include: [], workDir: path.join(root, 'work dir') }));
  assert.equal(f.accepts(path.join(root, 'cmd', 'sérveur', 'main.go')), true);
  assert.equal(f.accepts(path.join(root, 'a b', 'c d.go')), true);
  assert.equal(f.accepts(path.join(root, 'données privées', 'x.go')), false);
  assert.equal(f.accepts(path.join(root, 'vieux code', 'x.go')), false);
  assert.equal(f.accepts(path.join(root, 'work dir', 'x.go')), false);
  assert.equal(f.ignoresDir(path.join(root, 'données privées')), true);
  assert.equal(f.ignoresDir(path.join(root, 'vieux code')), true);
  assert.equal(f.ignoresDir(path.join(root, 'a b')), false);
  const inc = createPathFilter(settings(root, { include: ['cmd/sérveur/**'] }));
  assert.equal(inc.accepts(path.join(root, 'cmd', 'sérveur', 'main.go')), true);
  assert.equal(inc.accepts(path.join(root, 'cmd', 'other', 'main.go')), false);
  // the same name in decomposed form (as macOS may report it) still matches
  assert.equal(inc.accepts(path.join(root, 'cmd', 'sérveur'.normalize('NFD'), 'main.go')), true);
});

test('filter: ignoresDir skips only directories where nothing could count', () => {
  const root = tmp();
  write(path.join(root, '.gitignore'), 'bin/\n');
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
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-filter-test-'));
  const filter = createPathFilter(defaultSettings(root));
  assert.equal(filter.accepts(path.join(root, 'main_test.go')), false);
  assert.equal(filter.accepts(path.join(root, 'main.go')), true);
});
