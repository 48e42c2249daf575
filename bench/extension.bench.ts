/**
 * The extension's size and activation cost: bundle sizes, the .vsix size,
 * and the time from the host starting to load the bundle to the end of
 * activate(), as the extension logs it, in a real VS Code (code-server).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, repoRoot } from '../test/support/examples';
import { launchVSCode } from '../test/e2e/codeServer';
import { e2eToolingStatus, SKIP_HINT } from '../test/e2e/tooling';
import { eventually } from '../test/support/waiting';
import { median } from './stats';

const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 3);

function kb(file: string): string {
  return `${(fs.statSync(file).size / 1024).toFixed(1)} KB`;
}

function findLog(dir: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findLog(full);
      if (found) return found;
    } else if (entry.name === 'Hot Reload.log') {
      return full;
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const vsix = path.join(repoRoot, 'hot-reload.vsix');
  execFileSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, stdio: 'ignore' });
  console.log('# extension size and activation');
  for (const f of ['client.js', 'server.js', 'cli.js']) console.log(`dist/${f}: ${kb(path.join(repoRoot, 'dist', f))}`);
  console.log(`hot-reload.vsix: ${kb(vsix)}`);

  if (!e2eToolingStatus().ok) {
    console.log(`activation: not measured (${SKIP_HINT})`);
    return;
  }
  const times: number[] = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const workspace = copyExample('hello');
    const vscode = await launchVSCode({ workspace, vsix, screenshotsDir: path.join(repoRoot, 'test-results', 'bench') });
    try {
      const line = await eventually(
        'the activation line in the Hot Reload log',
        () => {
          const log = findLog(vscode.userDataDir);
          const text = log ? fs.readFileSync(log, 'utf8') : '';
          return /activated in (\d+) ms/.exec(text)?.[1];
        },
        { timeoutMs: 60000, intervalMs: 200 },
      );
      times.push(Number(line));
    } finally {
      await vscode.close();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  }
  console.log(
    `activation in VS Code ${LAUNCHES} launches (bundle load + activate(), on workspaceContains:**/go.mod): median ${median(times)} ms, all ${times.join(', ')} ms`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
