/**
 * Writes what the settings schema generates into files people read: package.json's contributed
 * settings and docs/settings.md, and the agent tools VS Code's chat gets (contributes.languageModelTools).
 * `npm run settings` runs it; a unit test fails when either drifts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { settingsMarkdown } from '../test/support/settingsDocs';
import { vscodeConfiguration, vscodeToolContributions } from '../src/engine';

const root = path.resolve(__dirname, '..', '..');
const pkgFile = path.join(root, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
pkg.contributes.configuration = vscodeConfiguration();
pkg.contributes.languageModelTools = vscodeToolContributions();
fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
fs.writeFileSync(path.join(root, 'docs', 'settings.md'), settingsMarkdown());
console.log('wrote package.json (contributes.configuration, contributes.languageModelTools) and docs/settings.md from the settings schema and the agent tools');
