/**
 * One change across a system's services, switched as one step. Every affected service builds
 * (Go services in one go build, through their build group); each waits at the barrier once its
 * build ends. When all have arrived: if any failed, none switches (the good builds are held and
 * the failing service shows its errors); else they deploy one after the other in dependency
 * order, each once those before it serve. A service whose reload ends without a build (nothing
 * changed for it after all, a cancelled build) leaves the transaction and holds nobody up.
 */
import type { BuildGroup } from '../languages';
import type { BarrierPass, Revert } from '../session/reload/barrier';

interface Member {
  name: string;
  group: BuildGroup | undefined;
  arrived: boolean;
  built: boolean;
  finished: boolean;
  pass?: (pass: BarrierPass) => void;
  /** Resolves once its deploy ended (or its reload did). */
  switched: Promise<void>;
  switchedNow: () => void;
  /** Set when its deploy did not serve. */
  startFailed?: boolean;
  revert?: Revert;
}

export class Transaction {
  /** Resolves once every member's reload has ended. */
  readonly done: Promise<void>;
  private finishAll!: () => void;
  private readonly members: Member[];
  private decided = false;
  /** The services that switched to a new version, in order. */
  readonly switched: string[] = [];
  /** Why none switched, when one failed to build. */
  failed: string[] = [];
  /** The service whose new version failed to start, after which none switched. */
  startFailed: string | undefined;

  constructor(
    members: readonly { name: string; group: BuildGroup | undefined }[],
    /** A change: none switches when one fails. A first start: the others start anyway (there is nothing older to keep). */
    private readonly allOrNone = true,
  ) {
    this.done = new Promise((resolve) => (this.finishAll = resolve));
    this.members = members.map(({ name, group }) => {
      let switchedNow!: () => void;
      const switched = new Promise<void>((resolve) => (switchedNow = resolve));
      return { name, group, arrived: false, built: false, finished: false, switched, switchedNow };
    });
    this.updateGroups();
    if (this.members.length === 0) this.finishAll();
  }

  /** Whether `name` takes part and its reload has not ended yet. */
  has(name: string): boolean {
    return this.members.some((m) => m.name === name && !m.finished);
  }

  arrive(name: string, built: boolean): Promise<BarrierPass> {
    const member = this.member(name);
    if (!member || member.arrived) return Promise.resolve({ deploy: true, deployed: () => undefined });
    member.arrived = true;
    member.built = built;
    const pass = new Promise<BarrierPass>((resolve) => (member.pass = resolve));
    this.updateGroups();
    this.decide();
    return pass;
  }

  /** `name`'s reload ended: it switched, was held, failed, or never built. */
  finished(name: string): void {
    const member = this.member(name);
    if (!member || member.finished) return;
    if (!member.arrived) {
      member.arrived = true;
      member.built = true; // nothing of its own to switch: it holds nobody back
    }
    member.finished = true;
    member.switchedNow();
    this.updateGroups();
    this.decide();
    if (this.members.every((m) => m.finished)) this.finishAll();
  }

  private member(name: string): Member | undefined {
    return this.members.find((m) => m.name === name);
  }

  /** Each build group waits for the builds of its members that have not arrived yet. */
  private updateGroups(): void {
    const groups = new Set(this.members.flatMap((m) => (m.group ? [m.group] : [])));
    for (const group of groups) group.expect(this.members.filter((m) => m.group === group && !m.arrived).length);
  }

  private decide(): void {
    if (this.decided || !this.members.every((m) => m.arrived)) return;
    this.decided = true;
    this.failed = this.members.filter((m) => !m.built).map((m) => m.name);
    if (this.failed.length > 0 && this.allOrNone) {
      const why = `${this.failed.join(' and ')} failed to build, and the services a change affects switch together`;
      for (const m of this.members) m.pass?.({ deploy: false, why });
      return;
    }
    void this.switchInOrder();
  }

  private async switchInOrder(): Promise<void> {
    // A first start: those that failed have nothing to deploy, and need not wait for the others.
    for (const m of this.members) if (!m.built) m.pass?.({ deploy: false, why: 'it failed to build' });
    for (const m of this.members) {
      if (!m.pass || !m.built) continue;
      if (this.startFailed) {
        m.pass({ deploy: false, why: `${this.startFailed} failed to start, and the services a change affects switch together` });
        continue;
      }
      m.pass({
        deploy: true,
        deployed: (ok, revert) => {
          if (ok) this.switched.push(m.name);
          else if (this.allOrNone) this.startFailed = m.name;
          m.revert = revert;
          m.switchedNow();
        },
      });
      await m.switched;
    }
  }

  /**
   * A new version failed to start: the services that switched before it serve their version from
   * before the change again, the last switched first. Called once every member's reload has ended.
   */
  async revert(): Promise<void> {
    if (!this.startFailed) return;
    const why = `${this.startFailed} failed to start, and the services a change affects switch together`;
    for (const name of [...this.switched].reverse()) await this.members.find((m) => m.name === name)?.revert?.(why);
    this.switched.length = 0;
  }
}
