import * as path from 'node:path';
import { expandHome, isFile, isInside } from '../../kernel/paths';
import type { ConfigProblem, Settings } from '../../settings/types';
import type { ResolveTargetOptions } from '../language';
import { describeEntryChoice, entryCandidates } from './entries';
import { findPackageRoot, PACKAGE_JSON, readPackageJson } from './project';
import { readRunnerLine } from './runnerCommand';
import { describeScriptChoice, scriptTargets } from './scriptTargets';
import { workspaceRoot } from './sourceSet';

/**
 * Finds the package (package.json at or above root, or moduleRoot when set) and the entry: the
 * `entry` setting, else the one `main`/`bin` or conventional file (entries.ts). A run command
 * needs no entry (the whole program is built, and the command runs it); with neither, the
 * package.json scripts that could run it are named. A package in a workspace watches the
 * workspace.
 */
export function resolveNodeTarget(s: Settings, options: ResolveTargetOptions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const error = (key: 'moduleRoot' | 'entry' | 'command', message: string) => problems.push({ severity: 'error', source: options.sourceOf(key), message });

  const packageRoot = options.explicit.has('moduleRoot') ? path.resolve(s.root, expandHome(s.moduleRoot)) : findPackageRoot(s.root);
  if (!packageRoot || !isFile(path.join(packageRoot, PACKAGE_JSON))) {
    if (options.explicit.has('moduleRoot'))
      error('moduleRoot', `no package.json in ${packageRoot} (the moduleRoot setting): point it at the folder holding package.json`);
    else error('moduleRoot', `no package.json found in ${s.root} or any parent: run \`npm init -y\` there, or open the folder of your Node program`);
    return problems;
  }
  s.moduleRoot = packageRoot;
  // A package in a workspace builds its linked siblings' sources too: the whole workspace is watched (the build's inputs narrow what reloads).
  const workspace = workspaceRoot(packageRoot);
  const globs = ['include', 'exclude', 'excludeRegex', 'alwaysInclude'] as const;
  if (workspace && isInside(workspace, s.root) && !globs.some((k) => options.explicit.has(k))) s.root = workspace;
  const pkg = readPackageJson(packageRoot);
  if (pkg.problem) {
    error('moduleRoot', `${pkg.problem}: fix package.json`);
    return problems;
  }
  if (s.buildCommand) return problems;
  if (s.command) {
    const line = readRunnerLine(s.command, packageRoot);
    if ('problem' in line) error('command', line.problem);
    if (s.entry && !isFile(s.entry))
      error('entry', `the entry ${s.entry} is not a file: set entry to the file your program starts from, or leave it empty with a command`);
    return problems;
  }
  if (s.entry) {
    if (!isFile(s.entry)) error('entry', `the entry ${s.entry} is not a file: set entry to the file your program starts from (for example src/server.ts)`);
    return problems;
  }
  const candidates = entryCandidates(pkg);
  if (candidates.length === 1) s.entry = candidates[0].file;
  else if (candidates.length > 1) error('entry', describeEntryChoice(packageRoot, candidates));
  else {
    const scripts = scriptTargets(pkg);
    error(
      'entry',
      `no entry file in ${packageRoot}: package.json has no main or bin that exists, and there is no src/server.ts, src/index.ts, index.js (or another conventional name); set entry (--entry) to the file your program starts from${
        scripts.length > 0 ? `, ${describeScriptChoice(scripts)}` : ', or command (--command) to the command that runs it'
      }`,
    );
  }
  return problems;
}
