import * as fs from 'node:fs';
import type { Diagnostic } from '../kernel/diagnostic';
import type { ChangedFile, EngineEvent, ReloadOutcome } from '../kernel/events';
import { PageHub } from './hub';
import { BrowserPages } from './pages';
import { pageProblem, problemTitle } from './problems';
import { Stylesheets } from './stylesheets';

export interface BrowserReloadOptions {
  /** The project folder: error locations on the page are relative to it. */
  root: string;
  /** The editor's URL scheme for links to a file's line ("vscode", "vscode-insiders", "cursor"). */
  editorScheme: string;
}

/** Outcomes after which a new version serves and has answered: pages of older ones reload. */
const SERVING: ReadonlySet<ReloadOutcome> = new Set(['started', 'restarted', 'handed-off', 'patched']);

/** Stylesheets larger than this always get a full build. */
const MAX_STYLESHEET_BYTES = 8 * 1024 * 1024;

/**
 * Browser reload for one session: the pages the proxy serves follow the session's events. A
 * version that serves reloads them (the strategies report it only once it answers), a failed
 * build or a failed start puts its errors over them until the next good build, and a change made
 * only of stylesheets the program serves from disk is swapped into them with no build at all.
 */
export class BrowserReload {
  readonly hub = new PageHub();
  readonly pages: BrowserPages;
  private readonly stylesheets = new Stylesheets();
  private diagnostics: readonly Diagnostic[] = [];

  constructor(private readonly options: BrowserReloadOptions) {
    this.pages = new BrowserPages(this.hub, this.stylesheets);
  }

  /** Follows one of the session's events. */
  follow(event: EngineEvent): void {
    if (event.type === 'diagnostics') {
      this.diagnostics = event.diagnostics;
      if (event.diagnostics.length === 0) this.hub.clear();
      else this.show(problemTitle(event.diagnostics));
    } else if (event.type === 'reload') {
      const { outcome, version, message } = event.report;
      if (SERVING.has(outcome)) this.hub.reload(version);
      else if (outcome === 'build-failed') this.show('Build failed', message);
      else if (outcome === 'crashed' || outcome === 'rolled-back')
        this.show(this.diagnostics.length > 0 ? problemTitle(this.diagnostics) : 'The new version failed to start', message);
    }
  }

  /**
   * When every change is a stylesheet the program now serves as it is on disk, tells pages to swap
   * it and returns the URLs; undefined when the changes need the full loop (build, deploy, reload).
   */
  async swapStylesheets(changes: readonly ChangedFile[]): Promise<string[] | undefined> {
    if (changes.length === 0 || !changes.every((c) => c.kind !== 'delete' && c.path.toLowerCase().endsWith('.css'))) return undefined;
    const urls: string[] = [];
    for (const change of changes) {
      const content = await readSmall(change.path);
      const served = content && (await this.stylesheets.servedAs(change.path, content));
      if (!served || served.length === 0) return undefined;
      urls.push(...served);
    }
    this.hub.send({ type: 'css', urls });
    return urls;
  }

  dispose(): void {
    this.hub.dispose();
  }

  private show(title: string, detail?: string): void {
    this.hub.show(pageProblem({ title, detail, diagnostics: this.diagnostics }, this.options));
  }
}

/** With browser reload stylesheets count as changes too (they are swapped, or built when embedded). */
export function withStylesheets(extensions: readonly string[]): string[] {
  const all = extensions.length === 0 || extensions.some((e) => e.trim() === '*' || e.replace(/^\./, '').toLowerCase() === 'css');
  return all ? [...extensions] : [...extensions, 'css'];
}

async function readSmall(file: string): Promise<Buffer | undefined> {
  try {
    const stat = await fs.promises.stat(file);
    return stat.size > MAX_STYLESHEET_BYTES ? undefined : await fs.promises.readFile(file);
  } catch {
    return undefined;
  }
}
