import type { PackageJson } from './project';
import { withoutBuildSteps } from './runnerCommand';

/** Scripts that build, check or publish rather than run the program. */
const NOT_RUNNERS =
  /^(?:pre|post)|^(?:test|lint|format|fmt|build|clean|watch|typecheck|check|prepare|release|publish|version|coverage|e2e|storybook)(?:$|[:-])/;

export interface ScriptTarget {
  name: string;
  /** What it runs: its command line, less the build steps before it (Hot Reload builds). */
  line: string;
  /** The `command` setting that runs it. */
  command: string;
}

/** The package.json scripts that may run the program (not its tests, linters, builds or lifecycle hooks), in package.json's order. */
export function scriptTargets(pkg: PackageJson): ScriptTarget[] {
  return Object.entries(pkg.scripts)
    .filter(([name]) => !NOT_RUNNERS.test(name))
    .map(([name, line]) => ({ name, line: withoutBuildSteps(line), command: name === 'start' ? 'npm start' : `npm run ${name}` }));
}

/** "run it with a package.json script: npm run dev (nest start --watch), …; pick one with --command "npm run dev", …". */
export function describeScriptChoice(scripts: readonly ScriptTarget[]): string {
  const list = scripts.map((s) => `${s.command} (${s.line})`).join(', ');
  return `or run it with one of its package.json scripts: ${list}; pick one with --command "${scripts[0].command}", the hotReload.command setting or Hot Reload: Select Target`;
}
