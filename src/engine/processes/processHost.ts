import * as path from 'node:path';
import type { Disposable } from '../kernel/disposable';
import type { Supervisor } from './supervisor/supervisor';
import { SupervisorSlot } from './supervisorSlot';
import { LocalTransport } from './transports/local';
import type { TargetPlatform, Transport } from './transports/transport';

/**
 * A session's supervisors, started on first use: the one on this machine runs the builds, hooks and
 * helpers, and (unless the target is elsewhere) every version of the program. On a remote target (a
 * container, an SSH host) a second supervisor runs there: each artifact is shipped to it, and when
 * the channel to it breaks the host says so at once (`lost`), before anything learns that the
 * program ended.
 */
export class ProcessHost implements Disposable {
  private readonly local: SupervisorSlot;
  private readonly far: SupervisorSlot | undefined;
  private transport: Transport | undefined;
  private isLost = false;
  private readonly placed = new Map<number, Promise<string>>();
  /** The target's platform, asked once per connection: asking is a round trip (a pod's is three kubectl calls), and every build needs it. */
  private platform: Promise<TargetPlatform> | undefined;
  private readonly lostListeners: ((err: Error) => void)[] = [];

  constructor(
    private readonly log: (message: string) => void,
    private readonly target: () => Promise<Transport> = () => Promise.resolve(new LocalTransport()),
    /** Whether the target is another machine (known from the settings before it is reached). */
    readonly remote = false,
  ) {
    const here = new LocalTransport();
    this.local = new SupervisorSlot(
      () => Promise.resolve(here),
      log,
      () => log('the supervisor exited; a new one starts with the next process'),
    );
    if (remote)
      this.far = new SupervisorSlot(
        () => this.reach(),
        log,
        (err) => {
          this.isLost = true;
          this.placed.clear();
          this.platform = undefined;
          for (const listener of this.lostListeners) listener(err);
        },
      );
  }

  /** True from the moment the channel to a remote target broke until a supervisor runs there again. */
  get lost(): boolean {
    return this.isLost;
  }

  onLost(listener: (err: Error) => void): void {
    this.lostListeners.push(listener);
  }

  /** The target's transport, once reached. */
  async reach(): Promise<Transport> {
    this.transport ??= await this.target();
    return this.transport;
  }

  /** The supervisor on this machine: builds, hooks, helpers. */
  supervisor(): Promise<Supervisor> {
    return this.local.get();
  }

  /** The supervisor where the program runs. */
  async programSupervisor(): Promise<Supervisor> {
    if (!this.far) return this.local.get();
    const supervisor = await this.far.get();
    this.isLost = false;
    return supervisor;
  }

  /** What `go build` needs to build for the target: GOOS, GOARCH, and no cgo unless the user asks for it. */
  async buildEnv(userBuildEnv: Record<string, string>): Promise<Record<string, string>> {
    if (!this.remote) return {};
    this.platform ??= this.reach().then((transport) => transport.platform());
    this.platform.catch(() => (this.platform = undefined));
    const { goos, goarch } = await this.platform;
    return { GOOS: goos, GOARCH: goarch, CGO_ENABLED: userBuildEnv.CGO_ENABLED ?? '0' };
  }

  /** The program's arguments the target itself gives (a pod's container's), for when the settings give none. */
  async placeArgs(): Promise<string[] | undefined> {
    if (!this.remote) return undefined;
    const transport = await this.reach();
    return transport.programArgs?.();
  }

  /** The path the program runs from: the artifact itself here, or its copy shipped to the target. */
  place(localFile: string, version: number): Promise<string> {
    if (!this.remote) return Promise.resolve(localFile);
    let shipped = this.placed.get(version);
    if (!shipped) {
      shipped = this.programSupervisor().then(async (supervisor) => {
        const remotePath = `${supervisor.workDir}/builds/v${version}/${path.basename(localFile)}`;
        await supervisor.upload(localFile, remotePath);
        return remotePath;
      });
      shipped.catch(() => this.placed.delete(version));
      this.placed.set(version, shipped);
    }
    return shipped;
  }

  /** Deletes the shipped artifacts of versions no longer kept (the target's disk is not ours to fill). */
  prune(keep: readonly number[]): void {
    const far = this.far?.current;
    if (!far?.workDir) return;
    for (const version of [...this.placed.keys()]) {
      if (keep.includes(version)) continue;
      this.placed.delete(version);
      far.remove(`${far.workDir}/builds/v${version}`);
    }
  }

  /** Stops everything the supervisors run (at most `graceMs` each) and ends them; a remote target's work dir is emptied. */
  async shutdown(graceMs: number): Promise<void> {
    await Promise.all([this.far?.shutdown(graceMs, true), this.local.shutdown(graceMs, false)]);
    // What cannot be undone now is said, not thrown: the rest of the stop goes on.
    await this.transport?.release?.().catch((err: Error) => this.log(`${this.transport?.label ?? 'the target'}: could not undo its changes: ${err.message}`));
  }

  dispose(): void {
    void this.shutdown(1000);
  }

  /** For exit handlers: the supervisors stop everything on their own once told. */
  killSync(): void {
    this.far?.current?.killSync();
    this.local.current?.killSync();
  }
}
