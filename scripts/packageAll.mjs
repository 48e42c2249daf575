// One .vsix per platform the extension supports (`vsce package --target`), each with its own
// supervisor binary and its own @parcel/watcher prebuild, fetched from the npm registry: a user
// on any of them gets the native watcher and a supervised program. Prints each size and fails
// when one is over 3 MB. Usage: node scripts/packageAll.mjs [out-dir] (after `npm run build -- --production`).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSupervisor } from './buildSupervisor.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist-vsix'));
const LIMIT = 3 * 1024 * 1024;
/** VS Code's target → the @parcel/watcher prebuild for it. */
export const WATCHER_PREBUILDS = {
  'linux-x64': '@parcel/watcher-linux-x64-glibc',
  'linux-arm64': '@parcel/watcher-linux-arm64-glibc',
  'darwin-x64': '@parcel/watcher-darwin-x64',
  'darwin-arm64': '@parcel/watcher-darwin-arm64',
  'win32-x64': '@parcel/watcher-win32-x64',
};
/** What the native watcher needs at run time (the rest of node_modules is bundled into dist). */
const RUNTIME_MODULES = ['@parcel/watcher', 'detect-libc', 'is-glob', 'is-extglob', 'picomatch', 'node-addon-api'];

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const watcherVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', '@parcel', 'watcher', 'package.json'), 'utf8')).version;
mkdirSync(outDir, { recursive: true });
const cache = mkdtempSync(path.join(tmpdir(), 'hr-prebuilds-'));
let failed = false;
for (const [target, prebuild] of Object.entries(WATCHER_PREBUILDS)) {
  const stage = mkdtempSync(path.join(tmpdir(), `hr-vsix-${target}-`));
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) cpSync(path.join(root, file), path.join(stage, file));
  cpSync(path.join(root, 'media'), path.join(stage, 'media'), { recursive: true });
  mkdirSync(path.join(stage, 'dist'));
  for (const file of readdirSync(path.join(root, 'dist')).filter((f) => f.endsWith('.js')))
    cpSync(path.join(root, 'dist', file), path.join(stage, 'dist', file));
  mkdirSync(path.join(stage, 'dist', 'node'));
  for (const file of readdirSync(path.join(root, 'dist', 'node')).filter((f) => f.endsWith('.js') || f === 'hotreload.ts'))
    cpSync(path.join(root, 'dist', 'node', file), path.join(stage, 'dist', 'node', file));
  buildSupervisor([target], path.join(stage, 'dist'));
  for (const mod of RUNTIME_MODULES) cpSync(path.join(root, 'node_modules', mod), path.join(stage, 'node_modules', mod), { recursive: true });
  rmSync(path.join(stage, 'node_modules', '@parcel', 'watcher', 'src'), { recursive: true, force: true });
  const tgz = execFileSync('npm', ['pack', `${prebuild}@${watcherVersion}`, '--silent', '--pack-destination', cache], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  const dest = path.join(stage, 'node_modules', prebuild);
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(cache, tgz), '-C', dest, '--strip-components=1']);
  // The stage holds what ships; nothing is built there, and its only dependency left unbundled is the watcher.
  const staged = { ...pkg, scripts: {}, devDependencies: {}, dependencies: { '@parcel/watcher': pkg.dependencies['@parcel/watcher'] } };
  writeFileSync(path.join(stage, 'package.json'), JSON.stringify(staged, null, 2));
  const out = path.join(outDir, `hot-reload-${target}.vsix`);
  execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--target', target, '--out', out], {
    cwd: stage,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const size = statSync(out).size;
  const ok = size < LIMIT;
  failed ||= !ok;
  console.log(`${path.basename(out)}: ${(size / 1024 / 1024).toFixed(2)} MB${ok ? '' : ' (over 3 MB)'}`);
  rmSync(stage, { recursive: true, force: true });
}
rmSync(cache, { recursive: true, force: true });
if (failed) process.exit(1);
