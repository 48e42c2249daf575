/**
 * A service that is a plain command (`vite`, `docker compose up db`, a Procfile line): no build
 * and no reload, run by `/bin/sh -c` under a supervisor of its own like every process the engine
 * starts, its output and its exit told to the system, stopped with its process group.
 */
import { Emitter } from '../kernel/emitter';
import { describeExit } from '../kernel/exits';
import type { Program } from '../processes/program';
import { ProgramProcess } from '../processes/program';
import { ProcessHost } from '../processes/processHost';
import type { ServiceSpec } from './serviceSpec';

export type CommandEvent = { type: 'output'; stream: 'stdout' | 'stderr'; data: string } | { type: 'exited'; how: string } | { type: 'log'; message: string };

export class CommandService {
  readonly events = new Emitter<CommandEvent>();
  private readonly host: ProcessHost;
  private program: Program | undefined;
  private stopping = false;

  constructor(
    readonly spec: ServiceSpec,
    private readonly env: Record<string, string>,
    private readonly stop: { signal: NodeJS.Signals; graceMs: number },
  ) {
    this.host = new ProcessHost((message) => this.events.fire({ type: 'log', message }));
  }

  get running(): boolean {
    return this.program?.running ?? false;
  }

  get pid(): number | undefined {
    return this.program?.pid;
  }

  /** Starts the command; resolves once it runs (its readiness is the system's to wait for). */
  async start(): Promise<Program> {
    const supervisor = await this.host.programSupervisor();
    const program = await ProgramProcess.start({
      executable: '/bin/sh',
      args: ['-c', this.spec.target],
      cwd: this.spec.dir,
      env: { ...process.env, ...this.env },
      version: 1,
      supervisor,
      stopSignal: this.stop.signal,
      graceMs: this.stop.graceMs,
    });
    this.program = program;
    program.onOutput((stream, data) => this.events.fire({ type: 'output', stream, data }));
    void program.exited.then((exit) => {
      if (!this.stopping) this.events.fire({ type: 'exited', how: describeExit(exit) });
    });
    return program;
  }

  async dispose(): Promise<void> {
    this.stopping = true;
    await this.program?.stop(this.stop.signal, this.stop.graceMs);
    await this.host.shutdown(this.stop.graceMs);
    this.host.dispose();
    this.events.dispose();
  }

  killAllSync(): void {
    this.host.killSync();
  }
}
