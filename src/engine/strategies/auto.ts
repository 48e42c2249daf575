import type { Artifact } from '../kernel/artifact';
import type { ListenAddress } from '../settings/listenAddress';
import type { Detection } from '../languages';
import type { Program } from '../processes/program';
import type { Strategy } from '../settings/types';
import type { DeployResult, RunStrategy } from './strategy';

/** A strategy whose detection (is the handoff library imported?) must be stopped with it. */
export class DetectingStrategy implements RunStrategy {
  constructor(
    readonly inner: RunStrategy,
    private readonly detection: AbortController,
  ) {}

  get name(): Strategy {
    return this.inner.name;
  }

  get address(): ListenAddress | undefined {
    return this.inner.address;
  }

  deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    return this.inner.deploy(artifact, current);
  }

  async dispose(): Promise<void> {
    this.detection.abort();
    await this.inner.dispose();
  }
}

/** "auto": decides on the first deploy, once detection is done, and delegates from then on. */
export class AutoStrategy implements RunStrategy {
  private chosen: RunStrategy | undefined;
  private why = '';
  private noted = false;

  constructor(
    private readonly detection: Promise<Detection>,
    private readonly controller: AbortController,
    private readonly choose: (found: Detection) => { strategy: RunStrategy; why: string },
  ) {
    void detection.then((found) => this.decide(found));
  }

  /** The chosen strategy's name; "restart" until the choice is made. */
  get name(): Strategy {
    return this.chosen?.name ?? 'restart';
  }

  get address(): ListenAddress | undefined {
    return this.chosen?.address;
  }

  /** The strategy in use once chosen. */
  get inner(): RunStrategy | undefined {
    return this.chosen;
  }

  async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    const strategy = this.chosen ?? this.decide(await this.detection);
    const result = await strategy.deploy(artifact, current);
    if (this.noted || !result.ok) return result;
    this.noted = true;
    const note = `strategy auto: ${strategy.name}, as ${this.why}`;
    return { ...result, note: result.note ? `${note}; ${result.note}` : note };
  }

  async dispose(): Promise<void> {
    this.controller.abort();
    await this.chosen?.dispose();
  }

  private decide(found: Detection): RunStrategy {
    if (!this.chosen) {
      const { strategy, why } = this.choose(found);
      this.chosen = strategy;
      this.why = why;
    }
    return this.chosen;
  }
}
