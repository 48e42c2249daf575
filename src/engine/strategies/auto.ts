import type { Artifact } from '../kernel/artifact';
import type { Detection } from '../languages';
import type { Program } from '../processes/program';
import type { DeployResult, RunStrategy } from './strategy';
import { WrappedStrategy } from './wrapped';

/** A strategy whose detection (is the handoff library imported?) must be stopped with it. */
export class DetectingStrategy extends WrappedStrategy {
  constructor(
    private readonly inner: RunStrategy,
    private readonly detection: AbortController,
  ) {
    super();
  }

  protected get wrapped(): RunStrategy {
    return this.inner;
  }

  override async dispose(): Promise<void> {
    this.detection.abort();
    await super.dispose();
  }
}

/** "auto": decides on the first deploy, once detection is done, and is the chosen strategy from then on. */
export class AutoStrategy extends WrappedStrategy {
  private chosen: RunStrategy | undefined;
  private why = '';
  private noted = false;

  constructor(
    private readonly detection: Promise<Detection>,
    private readonly controller: AbortController,
    private readonly choose: (found: Detection) => { strategy: RunStrategy; why: string },
  ) {
    super();
    void detection.then((found) => this.decide(found));
  }

  protected get wrapped(): RunStrategy | undefined {
    return this.chosen;
  }

  override async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    const strategy = this.chosen ?? this.decide(await this.detection);
    const result = await strategy.deploy(artifact, current);
    if (this.noted || !result.ok) return result;
    this.noted = true;
    const note = `strategy auto: ${strategy.name}, as ${this.why}`;
    return { ...result, note: result.note ? `${note}; ${result.note}` : note };
  }

  override async dispose(): Promise<void> {
    this.controller.abort();
    await super.dispose();
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
