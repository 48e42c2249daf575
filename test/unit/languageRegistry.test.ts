import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adoptSettings, debugUnavailable, editorBufferGlobs, languageFor, listTargets } from '../../src/engine/languages';
import { FALLBACK_LANGUAGE, LANGUAGE_MODULES } from '../../src/engine/languages/registry';
import { defaultSettings } from '../../src/engine/settings/defaults';
import { SCHEMA } from '../../src/engine/settings/schema';
import type { SettingKey } from '../../src/engine/settings/types';
import { repoRoot } from '../support/examples';
import { tempDir, tempDirOutsideProjects, writeFile } from '../support/files';

const languagesDir = path.join(repoRoot, 'src', 'engine', 'languages');

test('registry: every language folder is a row, every row a folder, and the language setting lists exactly their ids', () => {
  const folders = fs
    .readdirSync(languagesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const ids = LANGUAGE_MODULES.map((row) => row.id);
  assert.deepEqual([...ids].sort(), folders, 'languages/<folder> ↔ registry rows');
  assert.deepEqual(SCHEMA.language.values, ['auto', ...ids], 'the language setting: auto, then every row');
  assert.equal(SCHEMA.language.valueDocs?.length, ids.length + 1, 'every language has its line in the setting’s docs');
  for (const folder of folders) assert.ok(fs.existsSync(path.join(languagesDir, folder, 'module.ts')), `languages/${folder}/module.ts holds its row`);
});

test('registry: each row makes its own language, with the capabilities the row says', () => {
  for (const row of LANGUAGE_MODULES) {
    const language = row.create({});
    assert.equal(language.id, row.id);
    assert.equal(language.name, row.name);
    assert.equal(language.debugAdapter !== undefined, row.capabilities.debug.can, `${row.id}: a debug adapter iff the row says it debugs`);
    const buffers = language.editorBuffers?.(defaultSettings(tempDir('hr-registry-')));
    assert.deepEqual(buffers?.globs ?? [], row.capabilities.editorBuffers, `${row.id}: the editor buffers the row lists`);
    assert.ok(row.project.files.length > 0 && row.defaults.extensions.length > 0);
  }
});

test('languageFor: the nearest project file wins, whatever is above', () => {
  const base = tempDir('hr-registry-');
  writeFile(path.join(base, 'go.mod'), 'module example.com/app\n');
  writeFile(path.join(base, 'web', 'package.json'), '{}');
  fs.mkdirSync(path.join(base, 'web', 'src'));
  fs.mkdirSync(path.join(base, 'cmd'));
  const id = (dir: string) => {
    const found = languageFor(dir);
    return 'language' in found ? found.language.id : found.ambiguous;
  };
  assert.equal(id(path.join(base, 'web', 'src')), 'node', 'package.json is nearer than go.mod');
  assert.equal(id(path.join(base, 'cmd')), 'go');
  writeFile(path.join(base, 'web', 'src', 'go.mod'), 'module example.com/inner\n');
  assert.equal(id(path.join(base, 'web', 'src')), 'go', 'then go.mod is');
});

test('languageFor: project files of two languages in one folder are a choice for the user, or what the setting names', () => {
  const both = tempDir('hr-registry-');
  writeFile(path.join(both, 'go.mod'), 'module example.com/app\n');
  writeFile(path.join(both, 'package.json'), '{}');
  const found = languageFor(both);
  assert.ok('ambiguous' in found);
  assert.equal(
    found.ambiguous,
    `${both} has both a Go module (go.mod) and a Node package (package.json): pick one with --language go or --language node, the hotReload.language setting, or Hot Reload: Select Target`,
  );
  for (const row of LANGUAGE_MODULES) {
    const chosen = languageFor(both, {}, row.id);
    assert.equal('language' in chosen && chosen.language.id, row.id);
  }
  // A Go module below the folder counts as in it: a tie with the package.json there.
  const nested = tempDir('hr-registry-');
  writeFile(path.join(nested, 'package.json'), '{}');
  writeFile(path.join(nested, 'backend', 'go.mod'), 'module example.com/backend\n');
  assert.ok('ambiguous' in languageFor(nested));
});

test('languageFor: a folder no project file claims is the fallback language’s', (t) => {
  const scratch = tempDirOutsideProjects(
    'hr-registry-',
    LANGUAGE_MODULES.flatMap((row) => row.project.files),
  );
  if ('skip' in scratch) return t.skip(scratch.skip);
  const found = languageFor(scratch.dir);
  assert.equal('language' in found && found.language.id, FALLBACK_LANGUAGE);
});

test('listTargets: the programs of the language that claims the folder', async () => {
  const dir = tempDir('hr-registry-');
  writeFile(path.join(dir, 'package.json'), JSON.stringify({ main: 'src/server.js' }));
  writeFile(path.join(dir, 'src', 'server.js'), '');
  const { targets, errors } = await listTargets(dir);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    targets.map((t) => t.settings),
    [{ language: 'node', entry: 'src/server.js' }],
  );
});

test('editor buffers: the union of the rows’ globs', () => {
  assert.deepEqual(editorBufferGlobs(), ['**/*.go']);
});

test('capabilities: a row’s defaults fill unset settings, and what it cannot do is an error that says why', () => {
  const node = languageFor(tempDir('hr-registry-'), {}, 'node');
  const go = languageFor(tempDir('hr-registry-'), {}, 'go');
  assert.ok('language' in node && 'language' in go);
  const options = (explicit: SettingKey[] = []) => ({ explicit: new Set(explicit), sourceOf: (key: SettingKey) => `layer(${key})` });

  const settings = defaultSettings(tempDir('hr-registry-'));
  assert.deepEqual(adoptSettings(node.language, settings, options()), []);
  assert.deepEqual(settings.extensions, ['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs', 'jsx', 'json']);
  const mine = { ...defaultSettings(tempDir('hr-registry-')), extensions: ['ts'] };
  adoptSettings(node.language, mine, options(['extensions']));
  assert.deepEqual(mine.extensions, ['ts'], 'an extension list a layer set stays');

  const remote = { ...defaultSettings(tempDir('hr-registry-')), container: 'web-1' };
  const [problem, ...rest] = adoptSettings(node.language, remote, options(['container']));
  assert.deepEqual(rest, []);
  assert.equal(problem.source, 'layer(container)');
  assert.match(
    problem.message,
    /^container is set, but only Go programs run in a container, on an SSH host or in a pod for now \(this is a Node program: .*node_modules.*\)/,
  );
  assert.deepEqual(adoptSettings(go.language, { ...remote }, options(['container'])), []);

  assert.match(debugUnavailable(node.language) ?? '', /^debugging while it reloads is for Go programs for now; this is a Node program \(.+\): turn debug off$/);
  assert.equal(debugUnavailable(go.language), undefined);
});
