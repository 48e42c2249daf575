/**
 * The standard extension-host test setup, for machines that have (or can
 * download) VS Code: runs suite/index.ts inside a real extension host.
 * This machine cannot download VS Code; the same checks run here through
 * code-server in test/e2e.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-host-'));
  fs.cpSync(path.join(repo, 'examples', 'hello'), workspace, { recursive: true });
  await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(__dirname, 'suite', 'index'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { HOTRELOAD_TEST_PORT: process.env.HOTRELOAD_TEST_PORT ?? '18321' },
  });
}

main().catch((err) => {
  console.error(`extension host tests failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
