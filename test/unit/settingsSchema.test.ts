import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { airMappingTable, SCHEMA, SETTING_KEYS, settingParseOptions, vscodeConfiguration, vscodeSettingKeys } from '../../src/engine';
import { USAGE } from '../../src/cli/args';
import { AIR_KEYS } from '../../src/engine/settings/airToml/airKeys';
import { settingsMarkdown } from '../support/settingsDocs';

const root = path.resolve(__dirname, '..', '..', '..');

test("package.json's contributed settings are what the schema generates (run `npm run settings` after changing it)", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.configuration, vscodeConfiguration());
});

test('docs/settings.md is what the schema generates (run `npm run settings`)', () => {
  assert.equal(fs.readFileSync(path.join(root, 'docs', 'settings.md'), 'utf8'), settingsMarkdown());
});

test('every setting but the folder itself is in VS Code, with markdown docs and resource scope', () => {
  assert.deepEqual(
    SETTING_KEYS.filter((k) => !vscodeSettingKeys().includes(k)),
    ['root'],
  );
  for (const section of vscodeConfiguration()) {
    for (const [name, property] of Object.entries(section.properties as Record<string, Record<string, unknown>>)) {
      assert.equal(property.scope, 'resource', name);
      assert.ok(typeof property.markdownDescription === 'string' && property.markdownDescription.length > 20, name);
      if (property.enum) assert.equal((property.enum as unknown[]).length, (property.enumDescriptions as unknown[]).length, name);
    }
  }
});

test('every setting has a CLI flag, and --help lists every flag', () => {
  const options = settingParseOptions();
  const withoutFlag = SETTING_KEYS.filter((key) => SCHEMA[key].cli === undefined);
  assert.deepEqual(withoutFlag, []);
  for (const flag of Object.keys(options)) assert.match(USAGE, new RegExp(`--${flag}\\b`), `--${flag} missing from --help`);
});

test('the .air.toml mapping names only keys air has', () => {
  const known = new Set(Object.entries(AIR_KEYS).flatMap(([table, keys]) => Object.keys(keys).map((k) => (table === '' ? k : `${table}.${k}`))));
  for (const mapping of airMappingTable()) for (const key of mapping.airKeys) assert.ok(known.has(key), `${mapping.setting}: air has no key ${key}`);
});
