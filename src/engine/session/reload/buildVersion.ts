import type { Artifact } from '../../kernel/artifact';
import type { BuildOutcome } from '../../languages';
import { runShell } from '../../processes/runCommand';
import type { Preparation } from '../../strategies/strategy';
import { ProgressGate } from './progressGate';
import { reloadOf, type ReloadParts, type ReloadRun } from './reloadRun';
import type { ReloadResult } from './result';

/** A good build, committed as the next version. */
export interface Built {
  kind: 'built';
  artifact: Artifact;
  made: 'built' | 'before-save';
  buildMs: number;
}

/**
 * The build of a new version: pre-build commands, then the program's build (made before the save
 * when the speculator has it) with the strategy's own build work beside it. A build that is not
 * good is discarded and ends the reload; a good one is committed as the next version.
 */
export async function buildVersion(parts: ReloadParts, run: ReloadRun): Promise<Built | ReloadResult> {
  const { store, strategy, keeper, settings, clock } = parts;
  const { running } = run;
  const outFile = store.nextPath();
  const preBuild = await preBuildCommands(parts, running.signal);
  // The strategy's own build work runs beside the program's (two builds share the cores better than they queue).
  const beside = new AbortController();
  const cancelBeside = () => beside.abort();
  running.signal.addEventListener('abort', cancelBeside, { once: true });
  const preparation: Promise<Preparation> | undefined = !preBuild && strategy.prepare ? strategy.prepare(beside.signal) : undefined;
  const { outcome, builtBeforeSave } = preBuild ? { outcome: preBuild, builtBeforeSave: false } : await programBuild(parts, run, outFile);
  if (outcome.kind !== 'ok') beside.abort();
  const prepared = await preparation;
  running.signal.removeEventListener('abort', cancelBeside);
  running.cancellable = false;
  const buildMs = clock.now() - run.startedAt;

  if (outcome.kind !== 'ok' || (prepared && prepared.kind !== 'ok') || parts.disposed()) store.discard(outFile);
  if (outcome.kind === 'cancelled' || prepared?.kind === 'cancelled' || parts.disposed()) return { kind: 'cancelled' };
  if (outcome.kind === 'failed') {
    if (!settings.keepRunningOnBuildError) await keeper.take()?.stop(settings.stopSignal, settings.gracePeriodMs);
    const { message, diagnostics, output } = outcome;
    return { kind: 'build-failed', ...reloadOf(run, buildMs), message, diagnostics, output, serving: keeper.artifact?.version };
  }
  if (prepared?.kind === 'failed') {
    const { message, diagnostics } = prepared;
    return { kind: 'build-failed', ...reloadOf(run, buildMs), message, diagnostics, serving: keeper.artifact?.version };
  }
  const artifact = store.commit(outcome.file);
  prepared?.bind(artifact.version);
  // A good build: the last one's errors are gone, whatever the deploy does.
  parts.reporter.setDiagnostics([]);
  return { kind: 'built', artifact, made: builtBeforeSave ? 'before-save' : 'built', buildMs };
}

/** The program's build: made before the save when the speculator has it, else now; its progress shown when slow. */
function programBuild(parts: ReloadParts, run: ReloadRun, outFile: string): Promise<{ outcome: BuildOutcome; builtBeforeSave: boolean }> {
  const { builder, speculator, reporter, clock } = parts;
  const { signal } = run.running;
  const env = targetEnv(parts);
  const gate = new ProgressGate((progress) => reporter.progress(progress), { clock });
  const real = async (s: AbortSignal) => builder.build(outFile, s, { env: await env, onProgress: (progress) => gate.update(progress) });
  const built = speculator
    ? speculator.build(run.reload.trigger, outFile, signal, real)
    : real(signal).then((outcome) => ({ outcome, builtBeforeSave: false }));
  return built.then(
    (result) => {
      gate.end(result.outcome.kind === 'ok' ? 'built' : result.outcome.kind === 'failed' ? 'build failed' : 'build cancelled');
      return result;
    },
    (err: unknown) => {
      gate.end('build failed');
      throw err;
    },
  );
}

/** What builds for the target need (GOOS, GOARCH); a target out of reach fails the build with why. */
async function targetEnv(parts: ReloadParts): Promise<Record<string, string>> {
  try {
    return await parts.host.buildEnv(parts.settings.buildEnv);
  } catch {
    return {};
  }
}

/** The settings' pre-build commands, in order: the first that fails fails the build. */
async function preBuildCommands(parts: ReloadParts, signal: AbortSignal): Promise<BuildOutcome | undefined> {
  const { settings, host } = parts;
  for (const command of settings.preBuildCommands) {
    const result = await runShell(command, { cwd: settings.root, env: { ...process.env, ...settings.buildEnv }, signal, host });
    if (result.cancelled) return { kind: 'cancelled' };
    if (result.code !== 0) {
      return {
        kind: 'failed',
        diagnostics: [],
        output: result.output,
        message: `pre-build command \`${command}\` failed (${result.spawnError?.message ?? `exit status ${result.code ?? result.signal}`})`,
      };
    }
  }
  return undefined;
}
