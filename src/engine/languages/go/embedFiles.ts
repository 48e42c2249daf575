import * as path from 'node:path';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';
import { goListFlags } from './goList';

/** After a good build, the listing waits this long: the new version's start goes first. */
const LIST_AFTER_MS = 1000;

export interface EmbedListOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  buildFlags: readonly string[];
  host?: ProcessHost;
}

/**
 * The files the program embeds (`//go:embed`) from the packages of the user's modules (the main
 * module and those of its go.work), absolute, with `go list -e -deps`. They are sources the build
 * reads whatever their extension (a page, a stylesheet, a SQL file), so an edit must rebuild.
 */
async function listEmbedFiles(pkg: string, options: EmbedListOptions, signal: AbortSignal): Promise<string[] | undefined> {
  const format = '{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .EmbedFiles}}{{"\\t"}}{{.}}{{end}}{{"\\n"}}{{end}}{{end}}';
  const result = await runCommand('go', ['list', '-e', '-deps', '-f', format, ...goListFlags(options.buildFlags), pkg], {
    cwd: options.cwd,
    env: options.env,
    signal,
    host: options.host,
  });
  if (result.cancelled || result.code !== 0) return undefined;
  const files: string[] = [];
  for (const line of result.output.split('\n')) {
    const [dir, ...embedded] = line.split('\t');
    if (!dir || !path.isAbsolute(dir)) continue; // go's notes (downloads) are not packages
    for (const file of embedded) if (file.trim()) files.push(path.join(dir, file));
  }
  return files;
}

/**
 * Lists the embedded files LIST_AFTER_MS after each good build (an edit may add a `//go:embed`),
 * one listing at a time: a build that starts cancels the one under way.
 */
export class EmbedWatch {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((files: readonly string[]) => void)[] = [];

  constructor(
    private readonly pkg: string,
    private readonly options: () => EmbedListOptions,
  ) {}

  onFiles(listener: (files: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  /** A build starts: the listing of the last one is stale. */
  buildStarted(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.controller = undefined;
  }

  /** A build succeeded: its embedded files are listed a little later. */
  buildSucceeded(): void {
    if (this.listeners.length === 0) return;
    this.buildStarted();
    const controller = new AbortController();
    this.controller = controller;
    this.timer = setTimeout(() => {
      void listEmbedFiles(this.pkg, this.options(), controller.signal).then((files) => {
        if (files && !controller.signal.aborted) for (const listener of this.listeners) listener(files);
      });
    }, LIST_AFTER_MS);
    this.timer.unref();
  }

  dispose(): void {
    this.buildStarted();
  }
}
