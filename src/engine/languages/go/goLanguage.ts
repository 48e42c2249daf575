import type { Diagnostic } from '../../kernel/diagnostic';
import type { ProcessHost } from '../../processes/processHost';
import type { Settings } from '../../settings/types';
import type { Builder, BuildGroup } from '../builder';
import { CommandBuilder } from '../commandBuilder';
import type { Detection, Language, ResolveTargetOptions, RunCommand } from '../language';
import { parseGoBuildOutput } from './buildErrors';
import { detectLibrary, HOTRELOAD_PACKAGE } from './detectLibrary';
import { discoverMainPackages, findModuleRoot } from './discover';
import { Delve } from './delve';
import { GoBuffers } from './goBuffers';
import { GoBuilder } from './goBuilder';
import { GoBuildGroup } from './goBuildGroup';
import { GoPatcher } from './goPatcher';
import { ModuleDownloads } from './moduleDownloads';
import { parseGoPanic } from './panic';
import { resolveGoTarget, type Discover } from './resolveModule';

/** Go: modules and main packages, `go build`, its errors, panics, go/hotreload and plugins. */
export class GoLanguage implements Language {
  readonly id = 'go' as const;
  readonly name = 'Go';
  readonly handoffLibrary = HOTRELOAD_PACKAGE;
  readonly readyHint = 'a Go program tells the engine it serves by calling hotreload.Ready() (hotreload.ListenAndServe and hotreload.Serve do)';
  readonly debugAdapter = new Delve();
  /**
   * The downloads of this session's other go commands (the handoff check's `go list`, which starts
   * first on a cold cache and so downloads the modules the first build then waits for).
   */
  private readonly downloads = new ModuleDownloads();

  /** `discover` replaces `go list` discovery (tests, front ends that cache it). */
  constructor(private readonly discover: Discover = discoverMainPackages) {}

  resolveTarget(settings: Settings, options: ResolveTargetOptions) {
    return resolveGoTarget(settings, options, this.discover);
  }

  async listTargets(root: string) {
    const moduleRoot = findModuleRoot(root);
    if (!moduleRoot) return { targets: [], errors: [`no go.mod found in ${root} or any parent`] };
    const { packages, problems } = await this.discover(moduleRoot, {});
    return {
      targets: packages.map((p) => ({ package: p.relative, importPath: p.importPath, language: 'go' as const, settings: { language: 'go' as const, package: p.relative } })),
      errors: problems.filter((p) => p.severity === 'error').map((p) => p.message),
    };
  }

  createBuilder(settings: Settings, host?: ProcessHost, group?: BuildGroup): Builder {
    if (settings.buildCommand && settings.binary)
      return new CommandBuilder({ ...settings, buildCommand: settings.buildCommand, binary: settings.binary }, (output) => this.parseBuildErrors(output, settings), host);
    return new GoBuilder(settings, host, this.downloads, group instanceof GoBuildGroup ? group : undefined);
  }

  createBuildGroup(): BuildGroup {
    return new GoBuildGroup();
  }

  runCommand(artifact: string, settings: Settings): RunCommand {
    return { path: artifact, args: settings.args };
  }

  parseCrash(output: string, settings: Settings): Diagnostic | undefined {
    return parseGoPanic(output, { moduleRoot: settings.moduleRoot, cwd: settings.cwd });
  }

  parseBuildErrors(output: string, settings: Settings): Diagnostic[] {
    return parseGoBuildOutput(output, { cwd: settings.root, moduleRoot: settings.moduleRoot });
  }

  detectHandoff(settings: Settings, signal: AbortSignal, host?: ProcessHost): Promise<Detection> {
    return detectLibrary(settings, { signal, host, onOutput: (text) => this.downloads.feed(text) }).finally(() => this.downloads.done());
  }

  autoStrategy(found: Detection): { handoff: boolean; why: string } {
    if (found.usesLibrary === true) return { handoff: true, why: `the program imports ${HOTRELOAD_PACKAGE}` };
    return {
      handoff: false,
      why: found.usesLibrary === false ? `the program does not import ${HOTRELOAD_PACKAGE}` : `it is not known whether the program imports ${HOTRELOAD_PACKAGE} (${found.problem})`,
    };
  }

  createPatcher(settings: Settings, host?: ProcessHost): GoPatcher {
    return new GoPatcher(settings, host);
  }

  editorBuffers(settings: Settings): GoBuffers {
    return new GoBuffers({ ...process.env, ...settings.buildEnv });
  }
}
