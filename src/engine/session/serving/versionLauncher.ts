import type { Debugging } from '../../debug/debugging';
import type { Artifact } from '../../kernel/artifact';
import type { Language } from '../../languages';
import type { ProcessHost } from '../../processes/processHost';
import { ProgramProcess, type SupervisedProgram } from '../../processes/program';
import { loadEnvFiles } from '../../settings/envFile';
import type { Settings } from '../../settings/types';
import type { LaunchExtras } from '../../strategies/strategy';
import type { SessionReporter } from '../report/reporter';

/**
 * Starts versions of the program, for every strategy: where the artifact runs (shipped to a
 * remote target first), how the language runs it, its environment (env files read at each start),
 * under the debug adapter when debugging; its output goes to the reporter.
 */
export class VersionLauncher {
  private outputPaused = false;
  /** Every version started and not yet exited: the one serving, one starting, one retiring. */
  private readonly live = new Set<SupervisedProgram>();

  constructor(
    private readonly settings: Settings,
    private readonly deps: { language: Language; host: ProcessHost; reporter: SessionReporter; debugging: Debugging | undefined; color: boolean },
  ) {}

  /** The pids of the versions running now (started, not yet exited), whichever is serving. */
  runningPids(): number[] {
    return [...this.live].map((program) => program.pid);
  }

  /** New versions start with their output paused, as the running one is (a slow reader: OutputFlow). */
  setOutputPaused(paused: boolean): void {
    this.outputPaused = paused;
  }

  readonly launch = async (artifact: Artifact, extra: LaunchExtras = {}): Promise<SupervisedProgram> => {
    const { settings } = this;
    const { language, host, reporter, debugging } = this.deps;
    const { env: fileEnv, problems } = loadEnvFiles(settings.envFiles);
    for (const problem of problems) reporter.log(problem.severity === 'error' ? 'error' : 'warn', problem.message);
    const colorEnv: Record<string, string> = this.deps.color ? { FORCE_COLOR: '1', CLICOLOR_FORCE: '1' } : {};
    // On a remote target the program gets the target's own environment (the container's), not the editor's.
    const remote = host.remote;
    const placed = await host.place(artifact.path, artifact.version);
    // No args set: a pod's program gets its container's own arguments, as it would without us.
    const placeArgs = settings.args.length === 0 ? await host.placeArgs() : undefined;
    const command = language.runCommand(placed, placeArgs ? { ...settings, args: placeArgs } : settings, extra.channels === true);
    const spec = {
      args: command.args,
      cwd: remote ? (settings.remoteCwd ?? '') : (command.cwd ?? settings.cwd),
      env: {
        ...(remote ? {} : process.env),
        ...colorEnv,
        ...fileEnv,
        ...settings.env,
        ...command.env,
        HOTRELOAD_VERSION: String(artifact.version),
        ...extra.env,
      },
      inheritEnv: remote,
      version: artifact.version,
      supervisor: await host.programSupervisor(),
      listeners: extra.listeners,
      channels: extra.channels,
      listenPid: extra.listenPid,
      stopSignal: settings.stopSignal,
      graceMs: settings.gracePeriodMs,
    };
    const program = debugging ? await debugging.launch({ ...spec, artifact }) : await ProgramProcess.start({ ...spec, executable: command.path });
    this.live.add(program);
    void program.exited.finally(() => this.live.delete(program));
    program.onOutput((stream, data) => reporter.output(stream, data, artifact.version));
    if (this.outputPaused) program.setOutputPaused(true);
    return program;
  };
}
