import * as path from 'node:path';
import type { BrowserReload } from '../../browser/browserReload';
import type { Clock } from '../../kernel/clock';
import type { ChangedFile, ReloadTrigger } from '../../kernel/events';
import type { Builder } from '../../languages';
import type { SourceSnapshot } from '../reload/snapshot';
import type { SessionReporter } from '../report/reporter';
import type { PendingReload } from './reloadQueue';
import type { Speculator } from './speculator';

/**
 * Where a batch of changed files goes: stylesheets the program serves from disk are swapped in open
 * pages (no build); files the builder reads are a reload; the rest are no reason to build.
 */
export class ChangeRouter {
  constructor(
    private readonly deps: {
      root: string;
      builder: Builder;
      snapshot: SourceSnapshot;
      reporter: SessionReporter;
      clock: Clock;
      browser: BrowserReload | undefined;
      speculator: Speculator | undefined;
      enqueue: (reload: PendingReload) => void;
      disposed: () => boolean;
    },
  ) {}

  async route(changes: ChangedFile[], firstEventAt: number, trigger: ReloadTrigger): Promise<void> {
    const { builder, snapshot, reporter, browser, speculator } = this.deps;
    // Any file changed on disk makes a build before the save of other sources stale, relevant or not.
    speculator?.diskChanged(changes.map((c) => c.path));
    const swapped = await browser?.swapStylesheets(changes);
    if (this.deps.disposed()) return;
    if (!swapped) {
      // The builder knows which files its last build read (for Node, esbuild's inputs): others are no reason to build.
      const relevant = builder.watches ? changes.filter((c) => builder.watches!(c.path)) : changes;
      builder.changed?.(relevant.map((c) => c.path));
      if (relevant.length > 0) this.deps.enqueue({ changes: new Map(relevant.map((c) => [c.path, c])), trigger, firstEventAt, force: false });
      return;
    }
    // The running version serves these as they are now: they are part of it.
    const files = new Set(changes.map((c) => c.path));
    snapshot.markBuilt(new Map([...snapshot.pendingForBuild()].filter(([file]) => files.has(file))));
    const names = changes.map((c) => path.relative(this.deps.root, c.path)).join(', ');
    reporter.log('info', `${names}: stylesheet swapped in open pages without a rebuild (${swapped.join(', ')}, ${this.deps.clock.now() - firstEventAt} ms)`);
  }
}
