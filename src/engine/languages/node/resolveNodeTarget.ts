import * as path from 'node:path';
import { expandHome, isFile } from '../../kernel/paths';
import type { ConfigProblem, Settings } from '../../settings/types';
import type { ResolveTargetOptions } from '../language';
import { describeEntryChoice, entryCandidates } from './entries';
import { findPackageRoot, readPackageJson } from './project';

/** What changes reload a Node program by default (the build's inputs narrow it further). */
export const NODE_EXTENSIONS = ['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs', 'jsx', 'json'];

/**
 * Finds the package (package.json at or above root, or moduleRoot when set) and the entry: the
 * `entry` setting, else the one `main`/`bin` or conventional file (entries.ts). Unless set, the
 * watched extensions become JavaScript's and TypeScript's.
 */
export function resolveNodeTarget(s: Settings, options: ResolveTargetOptions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const error = (key: 'moduleRoot' | 'entry', message: string) => problems.push({ severity: 'error', source: options.sourceOf(key), message });

  if (!options.explicit.has('extensions')) s.extensions = [...NODE_EXTENSIONS];
  const packageRoot = options.explicit.has('moduleRoot') ? path.resolve(s.root, expandHome(s.moduleRoot)) : findPackageRoot(s.root);
  if (!packageRoot || !isFile(path.join(packageRoot, 'package.json'))) {
    if (options.explicit.has('moduleRoot'))
      error('moduleRoot', `no package.json in ${packageRoot} (the moduleRoot setting): point it at the folder holding package.json`);
    else error('moduleRoot', `no package.json found in ${s.root} or any parent: run \`npm init -y\` there, or open the folder of your Node program`);
    return problems;
  }
  s.moduleRoot = packageRoot;
  const pkg = readPackageJson(packageRoot);
  if (pkg.problem) {
    error('moduleRoot', `${pkg.problem}: fix package.json`);
    return problems;
  }
  if (s.buildCommand) return problems;
  if (s.entry) {
    if (!isFile(s.entry)) error('entry', `the entry ${s.entry} is not a file: set entry to the file your program starts from (for example src/server.ts)`);
    return problems;
  }
  const candidates = entryCandidates(pkg);
  if (candidates.length === 1) s.entry = candidates[0].file;
  else if (candidates.length > 1) error('entry', describeEntryChoice(packageRoot, candidates));
  else
    error(
      'entry',
      `no entry file in ${packageRoot}: package.json has no main or bin that exists, and there is no src/server.ts, src/index.ts, index.js (or another conventional name); set entry (--entry) to the file your program starts from`,
    );
  return problems;
}
