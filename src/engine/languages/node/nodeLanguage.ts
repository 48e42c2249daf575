import * as path from 'node:path';
import type { Diagnostic } from '../../kernel/diagnostic';
import { ProcessHost } from '../../processes/processHost';
import type { Settings } from '../../settings/types';
import type { Builder, BuildOutcome } from '../builder';
import { CommandBuilder } from '../commandBuilder';
import type { Detection, Language, Patcher, ResolveTargetOptions, RunCommand, TargetInfo } from '../language';
import { parseNodeBuildOutput } from './buildMessages';
import { Bundler } from './bundler';
import { parseNodeCrash } from './crash';
import { entryCandidates } from './entries';
import { NodeBuilder, RunnerBuilder } from './nodeBuilder';
import { NodePatcher } from './nodePatcher';
import { findPackageRoot, moduleFormat, readPackageJson } from './project';
import { resolveNodeTarget } from './resolveNodeTarget';
import { compilesItself, nodeOptions, pathWithBins, readRunnerLine } from './runnerCommand';
import { runtimeFile } from './runtimeFiles';
import { scriptTargets } from './scriptTargets';
import { workspaceRoot } from './sourceSet';

/** What runs in each process: the user's `node` on the PATH, with stacks at the sources. */
const NODE = 'node';

/**
 * Node and TypeScript: a package.json, an entry file or a run command, the program built as a
 * tree of modules by esbuild contexts kept in a worker on the user's node, `node
 * --enable-source-maps` (or the run command) to run it, and a preloaded hook that gives any HTTP
 * server the handoff and patch protocol without a change to its code.
 */
export class NodeLanguage implements Language {
  readonly id = 'node' as const;
  readonly name = 'Node';
  readonly handoffLibrary = "Hot Reload's preloaded hook";
  readonly readyHint =
    'a Node program is ready once its server listens on the public port (the preloaded hook takes the socket there): make it listen on PORT, or set listenAddress to the port it listens on';
  /** The session's build, shared by its builder and its patcher (both get the same settings). */
  private readonly bundlers = new WeakMap<Settings, Bundler>();

  resolveTarget(settings: Settings, options: ResolveTargetOptions) {
    return Promise.resolve(resolveNodeTarget(settings, options));
  }

  listTargets(root: string): Promise<{ targets: TargetInfo[]; errors: string[] }> {
    const packageRoot = findPackageRoot(root);
    if (!packageRoot) return Promise.resolve({ targets: [], errors: [`no package.json found in ${root} or any parent`] });
    const pkg = readPackageJson(packageRoot);
    if (pkg.problem) return Promise.resolve({ targets: [], errors: [pkg.problem] });
    const entries = entryCandidates(pkg).map((c) => {
      const entry = path.relative(root, c.file).split(path.sep).join('/');
      return { package: entry, importPath: `Node: ${c.why}`, language: 'node' as const, settings: { language: 'node' as const, entry } };
    });
    // A folder with no entry is run by one of its scripts (a framework's runner).
    const scripts =
      entries.length > 0
        ? []
        : scriptTargets(pkg).map((s) => ({
            package: s.command,
            importPath: `Node: the ${s.name} script of package.json: ${s.line}`,
            language: 'node' as const,
            settings: { language: 'node' as const, command: s.command },
          }));
    const targets = [...entries, ...scripts];
    return Promise.resolve({ targets, errors: targets.length === 0 ? [`no entry file and no script to run in ${packageRoot}`] : [] });
  }

  createBuilder(settings: Settings, host?: ProcessHost): Builder {
    if (settings.buildCommand && settings.binary) {
      const command = new CommandBuilder(
        { ...settings, buildCommand: settings.buildCommand, binary: settings.binary },
        (output) => this.parseBuildErrors(output, settings),
        host,
      );
      // Node decides how to load a file by its extension: the artifact keeps the binary's.
      const ext = path.extname(settings.binary);
      return { describe: () => command.describe(), build: (outFile, signal): Promise<BuildOutcome> => command.build(outFile + ext, signal) };
    }
    if (runnerCompiles(settings)) return new RunnerBuilder(settings);
    return new NodeBuilder(settings, this.bundler(settings, host), artifactName(settings));
  }

  runCommand(artifact: string, settings: Settings, protocol: boolean): RunCommand {
    const hook = protocol ? ['--require', runtimeFile('hook.js')] : [];
    if (!settings.command) return { path: NODE, args: ['--enable-source-maps', ...hook, artifact, ...settings.args] };
    const line = readRunnerLine(settings.command, settings.moduleRoot);
    const { words, env } = 'words' in line ? line : { words: ['sh', '-c', settings.command], env: {} };
    // The command names built files as the project would have them (dist/app.js): it runs in the tree, which mirrors the project.
    const built = !settings.buildCommand && !runnerCompiles(settings);
    // With a run command the artifact is a link to the tree, which mirrors the workspace (or package) root.
    const inTree = path.relative(workspaceRoot(settings.moduleRoot) ?? settings.moduleRoot, settings.cwd);
    const cwd = built && !inTree.startsWith('..') && !path.isAbsolute(inTree) ? path.join(artifact, inTree) : settings.cwd;
    return {
      path: words[0],
      args: [...words.slice(1), ...settings.args],
      cwd,
      env: {
        ...env,
        PATH: pathWithBins(settings.moduleRoot, settings.env.PATH ?? process.env.PATH),
        NODE_OPTIONS: nodeOptions(['--enable-source-maps', ...hook], settings.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS),
      },
    };
  }

  parseCrash(output: string, settings: Settings): Diagnostic | undefined {
    return parseNodeCrash(output, settings.moduleRoot);
  }

  parseBuildErrors(output: string, settings: Settings): Diagnostic[] {
    return parseNodeBuildOutput(output, settings.root);
  }

  /** The hook is preloaded into every version that gets the handoff descriptors, so each can report ready. */
  detectHandoff(): Promise<Detection> {
    return Promise.resolve({ usesLibrary: true });
  }

  autoStrategy(): { handoff: boolean; why: string } {
    return {
      handoff: false,
      why: 'a Node program may listen on any port (set strategy to handoff or patch for zero downtime: it needs no code change, only PORT or listenAddress naming its port)',
    };
  }

  createPatcher(settings: Settings, host?: ProcessHost): Patcher {
    return new NodePatcher(settings, this.bundler(settings, host), artifactName(settings));
  }

  private bundler(settings: Settings, host: ProcessHost | undefined): Bundler {
    let bundler = this.bundlers.get(settings);
    if (!bundler) {
      bundler = new Bundler(
        {
          // A run command starts the program: the artifact links to the tree, not to an entry.
          entry: settings.command ? undefined : settings.entry || undefined,
          packageRoot: settings.moduleRoot,
          outdir: path.join(settings.workDir, 'builds', 'b0'),
          env: { ...process.env, ...settings.buildEnv },
        },
        host ?? new ProcessHost(() => undefined),
        host === undefined,
      );
      this.bundlers.set(settings, bundler);
    }
    return bundler;
  }
}

/** A run command whose runner compiles the TypeScript it names (`tsx src/app.ts`): nothing to build. */
function runnerCompiles(settings: Settings): boolean {
  if (!settings.command) return false;
  const line = readRunnerLine(settings.command, settings.moduleRoot);
  return 'words' in line && compilesItself(line.words, settings.cwd);
}

/**
 * The artifact, a link to the entry's module: `server.cjs` for src/server.ts in a CommonJS
 * package, `server.mjs` in an ES module one; `@tree` (a link to the tree) with a run command.
 */
function artifactName(settings: Settings): string {
  if (settings.command || !settings.entry) return '@tree';
  const format = moduleFormat(settings.entry, readPackageJson(settings.moduleRoot));
  const base =
    path
      .basename(settings.entry)
      .replace(/\.[^.]*$/, '')
      .replace(/[^A-Za-z0-9._-]/g, '_') || 'main';
  return `${base}.${format === 'esm' ? 'mjs' : 'cjs'}`;
}
