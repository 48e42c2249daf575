import * as os from 'node:os';
import type { Artifact } from '../kernel/artifact';
import type { ProcessHost } from '../processes/processHost';
import type { Program } from '../processes/program';
import type { ListenAddress } from '../settings/listenAddress';
import type { DeployResult, LogFn, RunStrategy } from './strategy';
import { WrappedStrategy } from './wrapped';

/**
 * For a target whose ports are not this machine's (a Kubernetes pod): after each deploy the
 * program's port is forwarded to a local one (the transport's `forward`, kept while its pod lives
 * and made again for the next), and that local address is the one the status bar, the browser
 * and browser reload's proxy use.
 */
export class ForwardedFront extends WrappedStrategy {
  private local: number | undefined;

  constructor(
    private readonly inner: RunStrategy,
    private readonly host: ProcessHost,
    private readonly log: LogFn,
  ) {
    super();
  }

  protected get wrapped(): RunStrategy {
    return this.inner;
  }

  override get address(): ListenAddress | undefined {
    return this.local === undefined ? undefined : { host: '127.0.0.1', port: this.local };
  }

  override async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    const result = await super.deploy(artifact, current);
    const remote = this.inner.address;
    if (!result.ok || !remote) return result;
    try {
      const transport = await this.host.reach();
      const supervisor = await this.host.supervisor();
      const before = this.local;
      this.local = await transport.forward?.(remote.port, (command, args) => supervisor.spawn({ path: command, args, env: process.env, cwd: os.tmpdir() }));
      if (this.local !== before) this.log('info', `${transport.label}: port ${remote.port} is forwarded to http://127.0.0.1:${this.local}/`);
    } catch (err) {
      // The program serves; only the way to it from here is missing, which says why.
      this.log('warn', `the program's port ${remote.port} could not be forwarded here: ${(err as Error).message}`);
    }
    return result;
  }
}
