import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackgroundPriority } from '../../processes/backgroundPriority';
import type { ProcessHost } from '../../processes/processHost';
import { oneLine } from '../../kernel/text';
import { runCommand } from '../../processes/runCommand';
import type { Settings } from '../../settings/types';
import { goBuildArgs } from './buildFlags';
import type { FastBuildFlags } from './fastBuildFlags';
import { countPackages } from './packageCount';

/** From this many packages a program's debug reloads gain from the warm-up (measured on a 312-package Gin app). */
const WARM_FROM_PACKAGES = 150;

type WarmupSettings = Pick<
  Settings,
  'debug' | 'debugAllPackages' | 'buildCommand' | 'strategy' | 'moduleRoot' | 'package' | 'buildFlags' | 'buildEnv' | 'fastBuildFlags' | 'workDir'
>;

export interface DebugWarmupDeps {
  settings: WarmupSettings;
  host?: ProcessHost;
  note: (message: string) => void;
  /** The flags to build with from now on: every package without optimisation. */
  warmed: (flags: FastBuildFlags) => void;
  /** Programs with fewer packages are left as they are (tests lower it). */
  fromPackages?: number;
}

/**
 * Debug builds start with only the user's modules unoptimised (their first build takes seconds),
 * but Delve loads a binary whose dependencies are optimised (inlined calls, location lists) far
 * more slowly: on a 312-package Gin app, save → the debugger following the new version took 1.95x
 * a reload without it, against 1.34x with `all=-N -l`. So after the first good debug build of a
 * large program, every package is built once more without optimisation, in the background at the
 * lowest CPU priority (go caches it; about 15 s of CPU for that app, once per machine), and the
 * builds after it use `all=-N -l`. Not with the patch strategy, whose plugins must be built as
 * their host was, nor with debugAllPackages (already all) or a build command.
 */
export class DebugWarmup {
  private started = false;
  private readonly controller = new AbortController();

  constructor(private readonly deps: DebugWarmupDeps) {}

  static applies(settings: WarmupSettings): boolean {
    return settings.debug && !settings.debugAllPackages && !settings.buildCommand && settings.strategy !== 'patch';
  }

  /** A debug build succeeded with `env`: the first time, the warm-up starts. */
  afterGoodBuild(env: NodeJS.ProcessEnv): Promise<void> {
    if (this.started || !DebugWarmup.applies(this.deps.settings)) return Promise.resolve();
    this.started = true;
    return this.run(env).catch(() => undefined);
  }

  dispose(): void {
    this.controller.abort();
  }

  private async run(env: NodeJS.ProcessEnv): Promise<void> {
    const { settings, host, note } = this.deps;
    const { signal } = this.controller;
    const count = await countPackages(settings.package, { cwd: settings.moduleRoot, env, buildFlags: settings.buildFlags, host }, signal);
    if (count === undefined || count < (this.deps.fromPackages ?? WARM_FROM_PACKAGES) || signal.aborted) return;
    const all = goBuildArgs({ ...settings, debugAllPackages: true }, env);
    const dir = path.join(settings.workDir, 'debug-warmup');
    fs.mkdirSync(dir, { recursive: true });
    const [command, args] = new BackgroundPriority(path.join(dir, 'build.pid')).wrap('go', ['build', '-o', path.join(dir, 'program'), ...all.flags, settings.package]);
    note(`debug: building the ${count} packages without optimisation in the background, once (go caches them), for Delve to load each new version faster`);
    const started = Date.now();
    const result = await runCommand(command, args, { cwd: settings.moduleRoot, env: { ...env, ...all.env }, signal, host });
    fs.rmSync(dir, { recursive: true, force: true });
    if (result.cancelled || signal.aborted) return;
    if (result.code !== 0) {
      note(`debug: the background build without optimisation failed (${oneLine(result.output) || `exit status ${result.code ?? result.signal}`}); builds keep optimising the dependencies`);
      return;
    }
    this.deps.warmed(all);
    note(`debug: every package is built without optimisation now (${((Date.now() - started) / 1000).toFixed(1)} s in the background): the next builds use -gcflags=all=-N -l`);
  }
}
