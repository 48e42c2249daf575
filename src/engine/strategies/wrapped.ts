import type { Artifact } from '../kernel/artifact';
import type { Program } from '../processes/program';
import type { ListenAddress } from '../settings/listenAddress';
import type { Strategy } from '../settings/types';
import type { DeployResult, InPlaceUpdates, Preparation, RunStrategy } from './strategy';

/**
 * Every member of T, the optional ones included (with their `undefined`): a class that implements
 * this for RunStrategy must say what it does with each, so a member added to RunStrategy does not
 * compile until every wrapper forwards it (or says why not).
 */
type EveryMember<T> = { [K in keyof Required<T>]: T[K] };

/**
 * A strategy around another (auto's choice, handoff's detection, browser reload's front): it
 * forwards the whole RunStrategy to the strategy inside, so a capability of that strategy (an
 * in-place update, work beside the build, start notes) is never lost under a wrapper. Subclasses
 * override what they add to, and call through with `super`.
 */
export abstract class WrappedStrategy implements EveryMember<RunStrategy> {
  /** The strategy inside; undefined while there is none yet (auto, before its choice). */
  protected abstract get wrapped(): RunStrategy | undefined;

  /** The inside strategy's name; "restart" while there is none. */
  get name(): Strategy {
    return this.wrapped?.name ?? 'restart';
  }

  get inPlace(): InPlaceUpdates | undefined {
    return this.wrapped?.inPlace;
  }

  get address(): ListenAddress | undefined {
    return this.wrapped?.address;
  }

  get prepare(): ((signal: AbortSignal) => Promise<Preparation>) | undefined {
    const inner = this.wrapped;
    return inner?.prepare ? (signal) => inner.prepare!(signal) : undefined;
  }

  get startNotes(): (() => { level: 'info' | 'warn'; message: string }[]) | undefined {
    const inner = this.wrapped;
    return inner?.startNotes ? () => inner.startNotes!() : undefined;
  }

  deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    const inner = this.wrapped;
    if (!inner) return Promise.reject(new Error('no strategy to deploy with yet'));
    return inner.deploy(artifact, current);
  }

  async dispose(): Promise<void> {
    await this.wrapped?.dispose();
  }
}
