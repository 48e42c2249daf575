import type { BuildProgress } from '../../kernel/events';

/**
 * Reads `go build -v` as it runs: go prints "go: downloading <module> <version>" as it fetches a
 * module and, with -v, the import path of each package as it compiles it (cached ones are not
 * printed). Both have been so since Go 1.11, so older toolchains give the same progress.
 */
export class GoBuildProgress {
  private partial = '';
  /** By "module version": the build and another go command both name a module they fetch. */
  private readonly downloads = new Set<string>();
  private compiled = 0;
  private total: number | undefined;
  private phase: 'downloading' | 'compiling' | undefined;
  private lastModule = '';

  constructor(private readonly onProgress: (progress: BuildProgress) => void) {}

  /** Output as it arrives, in chunks that need not end on a line. */
  feed(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line.replace(/\r$/, ''));
  }

  /** A download by another go command on the same module cache (ModuleDownloads): the build waits for it too. */
  downloadSeen(line: string): void {
    if (line.startsWith('go: downloading ')) this.line(line);
  }

  /** The packages the build needs (`go list -deps`), once counted. */
  setTotal(total: number): void {
    this.total = total;
    if (this.phase === 'compiling') this.emit();
  }

  private line(line: string): void {
    const download = /^go: downloading (\S+) (\S+)$/.exec(line);
    if (download) {
      this.lastModule = `${download[1]} ${download[2]}`;
      if (this.downloads.has(this.lastModule)) return;
      this.downloads.add(this.lastModule);
      this.phase = 'downloading';
      this.emit();
    } else if (isPackageLine(line)) {
      this.compiled++;
      this.phase = 'compiling';
      this.emit();
    }
  }

  private emit(): void {
    if (this.phase === 'downloading') {
      this.onProgress({
        phase: 'downloading',
        count: this.downloads.size,
        message: `downloading ${this.lastModule} (${this.downloads.size} module${this.downloads.size === 1 ? '' : 's'})`,
      });
    } else if (this.phase === 'compiling') {
      const total = this.total;
      const count = total !== undefined ? Math.min(this.compiled, total) : this.compiled;
      this.onProgress({
        phase: 'compiling',
        count,
        ...(total !== undefined ? { total } : {}),
        message: total !== undefined ? `compiling ${count} of ${total} packages` : `compiling packages (${count} done)`,
      });
    }
  }
}

/** `go build -v`'s line for a package it compiled: a bare import path (errors and go's own notes have spaces or colons). */
function isPackageLine(line: string): boolean {
  return /^[\w.~+-]+(\/[\w.~+-]+)*$/.test(line);
}

/** The build's output without -v's package lines: what the error parser and the log see, as without -v. */
export function withoutPackageLines(output: string): string {
  return output
    .split('\n')
    .filter((line) => !isPackageLine(line.replace(/\r$/, '')))
    .join('\n');
}
