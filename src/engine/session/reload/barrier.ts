/**
 * Where a reload that is part of a system's transaction waits between its build and its deploy:
 * the system lets it deploy once every service of the transaction has built (in dependency order,
 * each after those before it have switched), or holds it when any failed, so that none switches.
 * A session alone has no barrier: every build deploys at once.
 */

/** What a reload may do once its build ended. */
export type BarrierPass =
  | {
      deploy: true;
      /**
       * Its deploy ended (whether the new version serves); when it does, `revert` puts the version
       * before it back, should a service after it fail to start.
       */
      deployed(ok: boolean, revert?: Revert): void;
    }
  | { deploy: false; why: string };

/** Serves the version that served before a deploy again, saying why. */
export type Revert = (why: string) => Promise<void>;

export interface DeployBarrier {
  /** This session's build ended, good or not: resolves with whether its new version may deploy now. */
  arrive(built: boolean): Promise<BarrierPass>;
  /** The reload ended; a reload that never arrived (nothing to build, a patch, a restart) no longer holds the others up. */
  finished(): void;
}
