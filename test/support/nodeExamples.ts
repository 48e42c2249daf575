/**
 * The Node examples, ready to run: a private copy whose dependencies (installed once per machine
 * with npm from the registry, keyed by the example's package.json) are linked in as node_modules.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExample, repoRoot } from './examples';

export type NodeExample = 'node-ts' | 'node-esm' | 'node-spawner';

/** The example's dependencies, installed into the system temp dir the first time they are asked for. */
export function installedDependencies(name: NodeExample): string | undefined {
  const manifest = fs.readFileSync(path.join(repoRoot, 'examples', name, 'package.json'), 'utf8');
  const pkg = JSON.parse(manifest) as { dependencies?: object; devDependencies?: object };
  if (!pkg.dependencies && !pkg.devDependencies) return undefined;
  const hash = crypto.createHash('sha256').update(manifest).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `hr-node-deps-${name}-${hash}`);
  const modules = path.join(dir, 'node_modules');
  if (fs.existsSync(path.join(dir, '.complete'))) return modules;
  const staging = `${dir}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, 'package.json'), manifest);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: staging,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fs.writeFileSync(path.join(staging, '.complete'), '');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return modules;
}

/** A private copy of examples/<name> with its node_modules, to edit freely. */
export function copyNodeExample(name: NodeExample): string {
  const modules = installedDependencies(name);
  const dir = copyExample(name);
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  if (modules) fs.symlinkSync(modules, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Rewrites examples' src/greeting.ts (or greeting.js) to answer `text`, with `before` lines above the function. */
export function setNodeGreeting(dir: string, text: string, before = ''): void {
  const ts = path.join(dir, 'src', 'greeting.ts');
  const file = fs.existsSync(ts) ? ts : path.join(dir, 'greeting.js');
  const signature = file.endsWith('.ts') ? 'export function greeting(): string' : 'export function greeting()';
  fs.writeFileSync(file, `${before}/** What the service answers. */\n${signature} {\n  return ${JSON.stringify(text)};\n}\n`);
}
