import * as fs from 'node:fs';
import type { ProcessHost } from '../../processes/processHost';
import type { Settings } from '../../settings/types';
import * as path from 'node:path';
import type { Builder, BuildOptions, BuildOutcome } from '../builder';
import { runCommand, type CommandResult } from '../../processes/runCommand';
import { parseGoBuildOutput } from './buildErrors';
import { firstLines } from '../../kernel/text';
import type { ModuleDownloads } from './moduleDownloads';
import { goBuildArgs } from './buildFlags';
import { EmbedWatch } from './embedFiles';
import type { FastBuildFlags } from './fastBuildFlags';
import { writeOverlay } from './goOverlay';
import { GoBuildProgress, withoutPackageLines } from './buildProgress';
import { countPackagesLater } from './packageCount';
import { CgoChoice } from './cgoChoice';
import { DebugWarmup } from './debugWarmup';
import type { GoBuildGroup } from './goBuildGroup';
import { GoDeps } from './goDeps';

/**
 * `go build -v -o <versioned artifact> <the engine's fast flags> <flags> <package>`, run in the module
 * root; with an overlay (unsaved buffers) `-overlay`, and in the background at the lowest CPU priority.
 * -v names each package as it is compiled: the progress of a slow (cold) build.
 */
export class GoBuilder implements Builder {
  readonly overlays = true;
  private fast: FastBuildFlags;
  private readonly embeds: EmbedWatch;
  private readonly cgo: CgoChoice;
  private readonly warmup: DebugWarmup;
  private readonly notes: ((message: string) => void)[] = [];
  /** For a service of a system: the package folders it is built from, so that other services' changes do not rebuild it. */
  private readonly deps: GoDeps | undefined;
  private listed = false;

  constructor(
    private readonly settings: Settings,
    private readonly host?: ProcessHost,
    /** Other go commands' downloads into the same module cache: this build's wait. */
    private readonly downloads?: ModuleDownloads,
    /** A system's other Go services: builds that come together run as one go build. */
    private readonly group?: GoBuildGroup,
  ) {
    this.fast = goBuildArgs(settings);
    this.embeds = new EmbedWatch(settings.package, () => ({
      cwd: settings.moduleRoot,
      env: { ...process.env, ...settings.buildEnv },
      buildFlags: settings.buildFlags,
      host,
    }));
    this.deps = group
      ? new GoDeps(() => ({ pkg: settings.package, cwd: settings.moduleRoot, env: { ...process.env, ...this.fast.env, ...settings.buildEnv }, buildFlags: settings.buildFlags, host }))
      : undefined;
    this.cgo = new CgoChoice(settings, host, (message) => this.say(message), downloads);
    this.warmup = new DebugWarmup({
      settings,
      host,
      note: (message) => this.say(message),
      warmed: (flags) => {
        this.fast = flags;
      },
    });
  }

  prepare(): void {
    this.cgo.prefetch();
  }

  watches(file: string): boolean {
    return this.deps?.reads(file) ?? true;
  }

  changed(files: readonly string[]): void {
    for (const file of files) this.cgo.changed(file);
  }

  onNote(listener: (message: string) => void): void {
    this.notes.push(listener);
  }

  private say(message: string): void {
    for (const listener of this.notes) listener(message);
  }

  onExtraInputs(listener: (files: readonly string[]) => void): void {
    this.embeds.onFiles(listener);
  }

  dispose(): Promise<void> {
    this.embeds.dispose();
    this.warmup.dispose();
    this.deps?.dispose();
    return Promise.resolve();
  }

  describe(): string {
    return this.fast.note;
  }

  async build(outFile: string, signal: AbortSignal, options: BuildOptions = {}): Promise<BuildOutcome> {
    const { settings } = this;
    const overlay = options.overlay?.size ? [`-overlay=${writeOverlay(path.join(path.dirname(outFile), 'overlay'), options.overlay)}`] : [];
    const args = ['build', '-v', '-o', outFile, ...overlay, ...this.fast.flags, settings.package];
    // go's compile and link children inherit the priority.
    const [command, commandArgs] = options.background ? options.background.wrap('go', args) : ['go', args];
    const progress = options.onProgress ? new GoBuildProgress(options.onProgress) : undefined;
    const others = progress && this.downloads?.follow((line) => progress.downloadSeen(line));
    for (const [file, content] of options.overlay ?? []) this.cgo.changed(file, content);
    const env = { ...process.env, ...this.fast.env, ...settings.buildEnv, ...(await this.cgo.env({ ...options.env })), ...options.env };
    if (signal.aborted) {
      others?.dispose();
      return { kind: 'cancelled' };
    }
    const grouped = options.overlay?.size || options.background ? undefined : this.group?.build({ pkg: settings.package, outFile, flags: this.fast.flags, env, cwd: settings.moduleRoot, host: this.host, signal });
    if (grouped) {
      others?.dispose();
      const run = await grouped;
      if (run.together.length > 1) this.say(`one go build for ${run.together.join(', ')}`);
      return this.outcome({ ...run.result, code: run.file ? 0 : (run.result.code ?? 1) }, outFile, env, options);
    }
    const count = progress
      ? countPackagesLater(settings.package, { cwd: settings.moduleRoot, env, buildFlags: settings.buildFlags, host: this.host }, (total) => progress.setTotal(total))
      : undefined;
    // A build of unsaved buffers (an overlay) reads what is not on disk: it says nothing of what is.
    if (!options.overlay?.size) this.embeds.buildStarted();
    const run = await runCommand(command, commandArgs, {
      cwd: settings.moduleRoot,
      env,
      signal,
      host: this.host,
      onOutput: progress ? (text) => progress.feed(text) : undefined,
    });
    others?.dispose();
    await count?.stop();
    return this.outcome({ ...run, output: withoutPackageLines(run.output) }, outFile, env, options);
  }

  /** What a go build's run comes to: the executable, or why not. */
  private async outcome(result: CommandResult, outFile: string, env: NodeJS.ProcessEnv, options: BuildOptions): Promise<BuildOutcome> {
    const { settings } = this;
    if (result.cancelled) return { kind: 'cancelled' };
    if (result.spawnError) {
      const message =
        result.spawnError.code === 'ENOENT'
          ? 'Go toolchain not found: `go` is not on the PATH. Install Go from https://go.dev/dl/ and restart.'
          : `cannot run go build: ${result.spawnError.message}`;
      return { kind: 'failed', diagnostics: [], output: '', message };
    }
    if (result.code === 0) {
      // `go build -o` of a package that is not main succeeds and writes a library archive (or, into a folder, nothing).
      if (isArchive(outFile) || !fs.existsSync(outFile))
        return {
          kind: 'failed',
          diagnostics: [],
          output: result.output,
          message: `${settings.package} is not a main package: go build made a library of it, not a program; set the package (--package or hotReload.package) to one with package main and func main, or pick one with Hot Reload: Select Target`,
        };
      if (!options.overlay?.size) this.embeds.buildSucceeded();
      void this.warmup.afterGoodBuild(env);
      // The first listing is waited for, so that a system knows each service's packages once it has started.
      const listing = this.deps?.relist();
      if (listing && !this.listed) await listing;
      this.listed = true;
      return { kind: 'ok', file: outFile, output: result.output };
    }
    const all = parseGoBuildOutput(result.output, { cwd: settings.moduleRoot, moduleRoot: settings.moduleRoot });
    // One go build for several services: each shows the errors in its own packages (all of them, if none is).
    const own = this.deps ? all.filter((d) => this.deps!.reads(d.file)) : all;
    const diagnostics = own.length > 0 ? own : all;
    const message =
      diagnostics.length > 0
        ? `build failed: ${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}`
        : `build failed: ${firstLines(result.output) || `go build exited with ${result.code ?? result.signal}`}`;
    return { kind: 'failed', diagnostics, output: result.output, message };
  }
}

/** Whether a file is an ar archive (what `go build -o` writes for a package that is not main). */
function isArchive(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(8);
      fs.readSync(fd, head, 0, 8, 0);
      return head.toString('latin1') === '!<arch>\n';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}
