/**
 * system/: several services as one. The services file (servicesFile.ts) names them; openSystem.ts
 * makes a session or a command service for each; this starts them in dependency order, wave by
 * wave (the services whose dependencies are ready start together, their Go builds as one go
 * build), each gated on its readiness (readiness.ts), a failed one holding its dependents. Then one
 * watcher (systemIntake.ts) feeds every change to the services it affects as one transaction
 * (transaction.ts): all build, then all switch in dependency order, or none does.
 */
import { Emitter } from '../kernel/emitter';
import { isAtOrInside } from '../kernel/paths';
import type { Disposable } from '../kernel/disposable';
import type { Session } from '../session/session';
import type { Service } from './service';
import { serviceInfo, type ServiceInfo } from './serviceInfo';
import { systemSummary, type SystemSummary } from './systemSummary';
import { watchReadiness, type ReadyResult } from './readiness';
import { forwardServiceEvents, readinessOf, type SystemEvent } from './serviceEvents';

import { SystemIntake } from './systemIntake';
import { Transaction } from './transaction';

export type { SystemEvent } from './serviceEvents';

/** How long a service may take to be ready at start, its first build included (a cold Go build with cgo takes minutes). */
const START_READY_MS = 10 * 60_000;

interface StartResult {
  ready: string[];
  failed: string[];
  held: string[];
}

export class ServiceSystem {
  readonly events = new Emitter<SystemEvent>();
  private intake: SystemIntake | undefined;
  private stopped = false;
  /** The services of a change that failed to build (and so did not switch): they join the next change. */
  private readonly held = new Set<Service>();

  /** Fires whenever a service's state, version or address may have changed (what a services view shows). */
  readonly changed = new Emitter<void>();
  /** Changes switched so far (the first start is 1): what "v4" means for a system. */
  generation = 0;
  private readonly forwarding = new Map<Service, Disposable>();

  constructor(
    readonly root: string,
    /** In start order. */
    readonly services: readonly Service[],
  ) {
    for (const s of services) this.forward(s);
  }

  /** The system as one state (of `info()`, when already taken). */
  summary(services: readonly ServiceInfo[] = this.info()): SystemSummary {
    return systemSummary(services, this.generation);
  }

  /** What each service is doing, for a services view. */
  info(): ServiceInfo[] {
    return this.services.map(serviceInfo);
  }

  /** Stops one service (its dependents keep running). */
  async stopService(name: string): Promise<void> {
    const s = this.service(name);
    if (!s || s.state === 'stopped') return;
    this.held.delete(s);
    this.forwarding.get(s)?.dispose();
    await (s.session?.dispose() ?? s.command?.dispose());
    this.setState(s, 'stopped', undefined);
  }

  /** Starts a stopped (or failed, or held) service again, once what it depends on is ready. */
  async startService(name: string): Promise<void> {
    const s = this.service(name);
    if (!s || this.stopped || !['stopped', 'failed', 'held'].includes(s.state)) return;
    const waiting = s.spec.dependsOn.filter((d) => this.service(d) && this.service(d)?.state !== 'ready');
    if (waiting.length > 0) {
      this.setState(s, 'held', `not started: it depends on ${waiting.join(' and ')}, which is not ready`);
      return;
    }
    await this.replace(s, {});
  }

  /**
   * Runs one Go or Node service under the debugger from now on (its session made again with debug
   * on, and started); resolves with where a debugger connects, or why it cannot.
   */
  async debugService(name: string): Promise<{ address: string } | { error: string }> {
    const s = this.service(name);
    if (!s) return { error: `no service named ${name}` };
    if (s.session?.settings.debug && s.state === 'ready' && s.session.debugAddress) return { address: s.session.debugAddress };
    const problem = await this.replace(s, { debug: true });
    if (problem) return { error: problem };
    return s.session?.debugAddress ? { address: s.session.debugAddress } : { error: `${name} did not start under the debugger: ${s.detail ?? s.state}` };
  }

  /** Stops a service and starts a fresh runner of it; why not, when the runner cannot be made. */
  private async replace(s: Service, options: { debug?: boolean }): Promise<string | undefined> {
    const made = await s.make(options);
    if ('problems' in made) return made.problems.join('; ');
    if (s.state !== 'stopped') await this.stopService(s.spec.name);
    Object.assign(s, { session: undefined, command: undefined }, made);
    this.forward(s);
    await this.startWave([s]);
    return undefined;
  }

  /** A restart of one service: a session's restart (no build when nothing changed), a command's stop and start. */
  async restartService(name: string): Promise<void> {
    const s = this.service(name);
    if (!s) return;
    if (s.session && s.state === 'ready') s.session.restart();
    else {
      await this.stopService(name);
      await this.startService(name);
    }
  }

  port(name: string): number | undefined {
    return this.service(name)?.port;
  }

  session(name: string): Session | undefined {
    return this.service(name)?.session;
  }

  service(name: string): Service | undefined {
    return this.services.find((s) => s.spec.name === name);
  }

  /** Starts every service in dependency order; resolves once each is ready, failed, or held by a failed dependency. */
  async start(): Promise<StartResult> {
    const first = this.services.find((s) => s.session)?.session;
    if (first) {
      const extensions = [...new Set(this.services.flatMap((s) => s.session?.settings.extensions ?? []))];
      this.intake = new SystemIntake(
        { ...first.settings, root: this.root, extensions },
        (files, at) => this.transact(files, at),
        (level, message) => this.say(level, message),
        () =>
          this.services.flatMap((s) => [...(s.session?.runningPids() ?? []), ...(s.command?.pid !== undefined && s.command.running ? [s.command.pid] : [])]),
      );
      await this.intake.start();
    }
    const pending = new Set(this.services);
    while (pending.size > 0 && !this.stopped) {
      const wave = [...pending].filter((s) => s.spec.dependsOn.every((d) => this.service(d)?.state === 'ready' || !this.service(d)));
      const blocked = [...pending].filter((s) => s.spec.dependsOn.some((d) => ['failed', 'held'].includes(this.service(d)?.state ?? '')));
      for (const s of blocked) {
        pending.delete(s);
        const why = s.spec.dependsOn.filter((d) => ['failed', 'held'].includes(this.service(d)?.state ?? ''));
        this.setState(s, 'held', `not started: it depends on ${why.join(' and ')}, which did not start`);
      }
      const starting = wave.filter((s) => !blocked.includes(s));
      if (starting.length === 0) break;
      for (const s of starting) pending.delete(s);
      await this.startWave(starting);
    }
    this.generation = 1;
    this.changed.fire();
    const named = (state: string) => this.services.filter((s) => s.state === state).map((s) => s.spec.name);
    return { ready: named('ready'), failed: named('failed'), held: named('held') };
  }

  /** The user's input for one service's program. */
  writeInput(name: string, data: string | Buffer): boolean {
    return this.service(name)?.session?.writeInput(data) ?? false;
  }

  /** An editor saved files of the system's folder: they count at once. */
  notifySaved(files: readonly string[]): void {
    const own = files.filter((file) => isAtOrInside(this.root, file));
    if (own.length > 0) this.intake?.saved(own);
  }

  /** Resolves once no change is waiting or being switched. */
  async idle(): Promise<void> {
    await this.intake?.idle();
    await Promise.all(this.services.flatMap((s) => (s.session ? [s.session.idle()] : [])));
  }

  async dispose(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.intake?.dispose();
    // Dependents stop first, as they would notice what they depend on going away.
    for (const s of [...this.services].reverse()) {
      await (s.session?.dispose() ?? s.command?.dispose());
      s.state = 'stopped';
    }
    for (const d of this.forwarding.values()) d.dispose();
    this.changed.fire();
    this.events.dispose();
    this.changed.dispose();
  }

  killAllSync(): void {
    for (const s of this.services) {
      s.session?.killAllSync();
      s.command?.killAllSync();
    }
  }

  /** One wave of the start: together, their first builds as one transaction that does not hold the good ones back. */
  private async startWave(wave: Service[]): Promise<void> {
    const sessions = wave.filter((s) => s.session);
    const tx = new Transaction(
      sessions.map((s) => ({ name: s.spec.name, group: s.group })),
      false,
    );
    for (const s of sessions) s.barrier.transaction = tx;
    const results = await Promise.all(
      wave.map(async (s): Promise<[Service, ReadyResult]> => {
        this.setState(s, 'starting', undefined);
        const source = readinessOf(s, this.events);
        const readiness = watchReadiness(source, START_READY_MS);
        try {
          await (s.session ? s.session.start() : s.command!.start());
          return [s, await readiness];
        } catch (err) {
          return [s, { ok: false, why: (err as Error).message }];
        } finally {
          source.dispose();
        }
      }),
    );
    for (const [s, result] of results) this.setState(s, result.ok ? 'ready' : 'failed', result.ok ? undefined : result.why);
  }

  /**
   * A change: the services it affects build, then switch together in dependency order, or none
   * does. Services held by an earlier failed transaction join the next one (their sources still
   * differ from what runs), so that fixing the failing service switches them all.
   */
  private async transact(files: string[], firstEventAt: number): Promise<void> {
    // A service that failed to start (a build error at the first start) starts again once a change touches it.
    for (const s of this.services.filter((x) => x.session && x.state === 'failed' && x.session.affectedBy(files).length > 0)) await this.retryStart(s);
    const touched = this.services.filter((s) => s.session && s.state === 'ready' && s.session.affectedBy(files).length > 0);
    const affected = this.services.filter((s) => touched.includes(s) || (this.held.has(s) && s.state === 'ready'));
    if (touched.length === 0 || this.stopped) return;
    const tx = new Transaction(affected.map((s) => ({ name: s.spec.name, group: s.group })));
    for (const s of affected) s.barrier.transaction = tx;
    await Promise.all(
      affected.map((s) => (touched.includes(s) ? s.session!.takeChanges(s.session!.affectedBy(files), firstEventAt) : Promise.resolve(s.session!.rebuild()))),
    );
    // Contents the same after all: no reload, nothing to wait for.
    for (const s of affected) if (!s.session!.reloading) tx.finished(s.spec.name);
    await tx.done;
    await tx.revert();
    const names = affected.map((s) => s.spec.name);
    if (tx.startFailed) {
      for (const s of affected) this.held.add(s);
      this.say('warn', `${tx.startFailed} failed to start: none of ${names.join(', ')} switched`);
      return;
    }
    if (tx.failed.length > 0) {
      // All of them: a later change of one joins the others, the failing one included, so they still switch together.
      for (const s of affected) this.held.add(s);
      this.say('warn', `${tx.failed.join(' and ')} failed to build: none of ${names.join(', ')} switched`);
      return;
    }
    for (const s of affected) this.held.delete(s);
    if (tx.switched.length === 0) return;
    this.generation++;
    this.changed.fire();
    // Open pages of a front that did not change itself show what its backends serve now: one reload, once the last one serves.
    for (const s of this.services) {
      const version = s.session?.currentVersion;
      if (s.state === 'ready' && s.session?.browser && version !== undefined && !tx.switched.includes(s.spec.name)) s.session.browser.hub.reload(version);
    }
    if (tx.switched.length > 1) this.say('info', `${tx.switched.join(', ')} switched together (${Date.now() - firstEventAt} ms from the change)`);
  }

  /** Starts a failed service again, then the services it held back whose dependencies are now all ready. */
  private async retryStart(s: Service): Promise<void> {
    await this.startService(s.spec.name);
    if (s.state !== 'ready') return;
    for (const held of this.services.filter((x) => x.state === 'held' && x.spec.dependsOn.includes(s.spec.name))) {
      if (held.spec.dependsOn.every((d) => this.service(d)?.state === 'ready')) await this.retryStart(held);
    }
  }

  private forward(s: Service): void {
    this.forwarding.set(
      s,
      forwardServiceEvents(s, this.events, (event) => {
        // Stopped by itself (a debugger's Stop button): the service is stopped.
        if (event.state === 'stopped' && s.state !== 'stopped' && !this.stopped) this.setState(s, 'stopped', undefined);
        else this.changed.fire();
      }),
    );
  }

  private setState(s: Service, state: Service['state'], detail: string | undefined): void {
    s.state = state;
    s.detail = detail;
    this.changed.fire();
    const level = state === 'failed' ? 'error' : state === 'held' ? 'warn' : 'info';
    const text =
      state === 'ready'
        ? `${s.spec.name} is ready${s.port !== undefined ? ` on 127.0.0.1:${s.port}` : ''}`
        : `${s.spec.name} ${state}${detail ? `: ${detail}` : ''}`;
    this.say(level, text);
  }

  private say(level: 'info' | 'warn' | 'error', message: string): void {
    this.events.fire({ service: undefined, event: { type: 'log', level, message } });
  }
}
