/**
 * One .vsix per platform, each with its own supervisor and its own native watcher prebuild, each
 * under 3 MB (scripts/packageAll.mjs, which fetches the prebuilds from the npm registry).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/examples';
import { tempDir } from '../support/files';

const TARGETS: Record<string, { supervisor: string; watcher: string }> = {
  'linux-x64': { supervisor: 'hotreload-supervisor', watcher: '@parcel/watcher-linux-x64-glibc' },
  'linux-arm64': { supervisor: 'hotreload-supervisor', watcher: '@parcel/watcher-linux-arm64-glibc' },
  'darwin-x64': { supervisor: 'hotreload-supervisor', watcher: '@parcel/watcher-darwin-x64' },
  'darwin-arm64': { supervisor: 'hotreload-supervisor', watcher: '@parcel/watcher-darwin-arm64' },
  'win32-x64': { supervisor: 'hotreload-supervisor.exe', watcher: '@parcel/watcher-win32-x64' },
};

test('each platform gets a .vsix of its own, under 3 MB, with its supervisor and its native watcher', { timeout: 600_000 }, () => {
  const out = tempDir('hr-vsix-');
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'packageAll.mjs'), out], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  for (const [target, expected] of Object.entries(TARGETS)) {
    const vsix = path.join(out, `hot-reload-${target}.vsix`);
    const size = fs.statSync(vsix).size;
    assert.ok(size < 3 * 1024 * 1024, `${target}: ${size} bytes`);
    const listing = execFileSync('unzip', ['-l', vsix], { encoding: 'utf8' });
    assert.match(listing, new RegExp(`extension/dist/supervisor/${target}/${expected.supervisor.replace('.', '\\.')}\\n`), `${target}: its supervisor`);
    assert.ok(listing.includes(`extension/node_modules/${expected.watcher}/`), `${target}: its watcher prebuild`);
    for (const other of Object.keys(TARGETS).filter((t) => t !== target)) {
      assert.ok(!listing.includes(`extension/dist/supervisor/${other}/`), `${target} carries ${other}'s supervisor`);
      assert.ok(!listing.includes(`extension/node_modules/${TARGETS[other].watcher}/`), `${target} carries ${other}'s watcher`);
    }
    assert.ok(listing.includes('extension/dist/server.js') && listing.includes('extension/dist/client.js') && listing.includes('extension/dist/cli.js'));
    for (const file of ['hook.js', 'buildWorker.js', 'hotreload.ts'])
      assert.ok(listing.includes(`extension/dist/node/${file}`), `${target}: the Node runtime's ${file}`);
    assert.ok(!listing.includes('esbuild'), `${target}: no esbuild binary (it comes from the project or the user's cache)`);
  }
});
