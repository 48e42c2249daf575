import type { Disposable } from '../../kernel/disposable';
import { Emitter } from '../../kernel/emitter';

/** Enough for any module graph; past it the oldest go (the count stays right for the build that subscribes later). */
const MAX_KEPT = 2000;

/**
 * The module downloads of a session's go commands other than the build (the handoff check's
 * `go list`, which starts first and so, on a cold cache, downloads what the first build then
 * waits for). A build that starts while such a command runs is told the downloads seen so far,
 * then each new one.
 */
export class ModuleDownloads {
  private readonly lines: string[] = [];
  private readonly added = new Emitter<string>();
  private partial = '';

  /** Output of such a command, as it arrives; `done` when it exits (what it downloaded is then there). */
  feed(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (!line.startsWith('go: downloading ')) continue;
      this.lines.push(line);
      if (this.lines.length > MAX_KEPT) this.lines.shift();
      this.added.fire(line);
    }
  }

  done(): void {
    this.lines.length = 0;
    this.partial = '';
  }

  /** Calls `onLine` with each download line under way, now and as they come. */
  follow(onLine: (line: string) => void): Disposable {
    for (const line of this.lines) onLine(line);
    return this.added.on(onLine);
  }
}
