import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';
import type { Settings } from '../../settings/types';
import { goListFlags } from './goList';
import { importsOf } from './imports';

/** Files whose change can bring in packages the last listing did not see. */
const MODULE_FILES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum']);

/** Build flags that need cgo whatever the packages are. */
const NEEDS_CGO = /^--?(race|msan|asan|buildmode|linkshared)\b|linkmode[= ]external/;

type CgoSettings = Pick<Settings, 'cgoOnlyWhenNeeded' | 'strategy' | 'buildFlags' | 'buildEnv' | 'moduleRoot' | 'package'>;

/** What the last listing found: every package the program imports, and those outside the standard library with cgo files. */
interface Listing {
  packages: Set<string>;
  cgo: string[];
}

/**
 * Whether a build needs cgo: with `cgoOnlyWhenNeeded`, a program none of whose packages outside the
 * standard library has cgo files builds with `CGO_ENABLED=0` (a faster link, no C toolchain), and
 * one that has them builds as Go's default says. The packages are listed with `go list -deps` when
 * the session opens and again, before the next build, only when a change could bring in a package
 * the listing did not see: go.mod, go.sum or go.work, an `import "C"`, an import path it did not
 * list (in a saved file or an unsaved buffer). A program that imports Go's plugin support (the patch
 * strategy), a `-race` build and the user's own CGO_ENABLED keep Go's default.
 */
export class CgoChoice {
  private listing: Promise<Listing | undefined> | undefined;
  private said: string | undefined;
  /** Import paths of the files changed since the last listing. */
  private readonly imports = new Set<string>();

  constructor(
    private readonly settings: CgoSettings,
    private readonly host: ProcessHost | undefined,
    private readonly note: (message: string) => void,
    /** Told the listing's output (its module downloads), and when it is done. */
    private readonly downloads?: { feed(text: string): void; done(): void },
  ) {}

  /**
   * The session starts: the listing begins beside it, for the first build to find done. Not
   * before: a session opened and never started runs nothing. A remote target's build says
   * CGO_ENABLED itself (processHost.buildEnv): nothing to list for it.
   */
  prefetch(): void {
    if (this.applies({}) && !this.host?.remote) this.listing ??= this.list();
  }

  /** A changed file (its text, for an unsaved buffer): if it could bring in a package, the next build lists them again. */
  changed(file: string, content?: Buffer | string): void {
    if (MODULE_FILES.has(path.basename(file))) {
      this.listing = undefined;
      return;
    }
    if (!file.endsWith('.go')) return;
    try {
      for (const imported of importsOf(content === undefined ? fs.readFileSync(file, 'utf8') : content.toString())) this.imports.add(imported);
    } catch {
      // deleted: it brings nothing in
    }
  }

  /** The environment a build adds: `CGO_ENABLED=0` when nothing needs cgo, nothing otherwise. */
  async env(buildEnv: Record<string, string | undefined>): Promise<Record<string, string>> {
    if (!this.applies(buildEnv)) return {};
    this.listing ??= this.list();
    let known = await this.listing;
    if (known && [...this.imports].some((imported) => imported === 'C' || !known!.packages.has(imported))) {
      this.listing = this.list();
      known = await this.listing;
    }
    this.imports.clear();
    if (!known) {
      this.listing = undefined; // tried again by the next build
      return {};
    }
    this.say(
      known.cgo.length === 0
        ? 'building with CGO_ENABLED=0: no package outside the standard library uses cgo (a faster link; the setting cgoOnlyWhenNeeded turns this off)'
        : `building with cgo: ${known.cgo.slice(0, 3).join(', ')}${known.cgo.length > 3 ? ` and ${known.cgo.length - 3} more` : ''} ${known.cgo.length === 1 ? 'uses' : 'use'} it`,
    );
    return known.cgo.length === 0 ? { CGO_ENABLED: '0' } : {};
  }

  private applies(buildEnv: Record<string, string | undefined>): boolean {
    const { settings } = this;
    if (!settings.cgoOnlyWhenNeeded || settings.strategy === 'patch') return false;
    if ([settings.buildEnv.CGO_ENABLED, process.env.CGO_ENABLED, buildEnv.CGO_ENABLED].some((v) => v !== undefined)) return false;
    return !settings.buildFlags.some((flag) => NEEDS_CGO.test(flag));
  }

  private async list(): Promise<Listing | undefined> {
    const { settings } = this;
    const format = '{{.ImportPath}}{{"\\t"}}{{if not .Standard}}{{len .CgoFiles}}{{end}}';
    const result = await runCommand('go', ['list', '-e', '-deps', '-f', format, ...goListFlags(settings.buildFlags), settings.package || '.'], {
      cwd: settings.moduleRoot,
      env: { ...process.env, ...settings.buildEnv },
      host: this.host,
      maxOutput: 8 * 1024 * 1024,
      onOutput: this.downloads && ((text) => this.downloads!.feed(text)),
    }).finally(() => this.downloads?.done());
    if (result.cancelled || result.spawnError || result.code !== 0) return undefined;
    const listing: Listing = { packages: new Set(), cgo: [] };
    for (const line of result.output.split('\n')) {
      const [importPath, cgoFiles] = line.split('\t');
      if (cgoFiles === undefined) continue; // go's notes (downloads) are not packages
      listing.packages.add(importPath);
      if (Number(cgoFiles) > 0) listing.cgo.push(importPath);
    }
    return listing;
  }

  private say(message: string): void {
    if (message === this.said) return;
    this.said = message;
    this.note(message);
  }
}
