/**
 * One service of a running system: its spec, the port it got, and what runs it (a session for a
 * Go or Node program, a command service for a plain command), with the barrier its session's
 * reloads pass between build and deploy.
 */
import type { BuildGroup } from '../languages';
import type { BarrierPass, DeployBarrier } from '../session/reload/barrier';
import type { Session } from '../session/session';
import type { CommandService } from './commandService';
import type { ServiceSpec } from './serviceSpec';
import type { Transaction } from './transaction';

export type ServiceState = 'waiting' | 'starting' | 'ready' | 'failed' | 'held' | 'stopped';

/** What runs a service: made again when a stopped service starts. */
interface ServiceRunner {
  session?: Session;
  command?: CommandService;
}

export interface Service extends ServiceRunner {
  readonly spec: ServiceSpec;
  readonly port: number | undefined;
  /**
   * A fresh runner, for a start after a stop (a stopped session cannot start again); with `debug`,
   * a session under the debugger (its settings resolved again, to find the debug adapter), or why not.
   */
  readonly make: (options?: { debug?: boolean }) => Promise<ServiceRunner | { problems: string[] }>;
  readonly barrier: ServiceBarrier;
  /** The build group its builds share with the system's other services of its language. */
  readonly group: BuildGroup | undefined;
  state: ServiceState;
  /** Why it failed or is held. */
  detail?: string;
}

/** A session's barrier: the open transaction's when the service takes part in it, else none. */
export class ServiceBarrier implements DeployBarrier {
  transaction: Transaction | undefined;

  constructor(private readonly name: string) {}

  arrive(built: boolean): Promise<BarrierPass> {
    const tx = this.transaction;
    if (!tx?.has(this.name)) return Promise.resolve({ deploy: true, deployed: () => undefined });
    return tx.arrive(this.name, built);
  }

  finished(): void {
    this.transaction?.finished(this.name);
  }
}
