import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Artifact } from '../../kernel/artifact';
import { realClock, type Clock } from '../../kernel/clock';
import { pruneFolder } from '../../kernel/pruneFolder';

export type { Artifact } from '../../kernel/artifact';

/**
 * Versioned build outputs under `<workDir>/builds`. A build never writes over
 * the running binary; the last good artifact is kept for rollback and older
 * ones are deleted.
 */
export class ArtifactStore {
  private readonly dir: string;
  private attempt = 0;
  private version = 0;

  constructor(
    workDir: string,
    private readonly name: string,
    private readonly clock: Clock = realClock,
  ) {
    this.dir = path.join(workDir, 'builds');
  }

  /** A fresh path for the next build attempt. */
  nextPath(): string {
    this.attempt++;
    const dir = path.join(this.dir, `b${this.attempt}`);
    fs.mkdirSync(dir, { mode: 0o700 });
    return path.join(dir, process.platform === 'win32' ? `${this.name}.exe` : this.name);
  }

  /** Records a successful build at `file` as the next version. */
  commit(file: string): Artifact {
    this.version++;
    return { version: this.version, path: file, builtAt: this.clock.now() };
  }

  /** The version the next commit will get. */
  get nextVersion(): number {
    return this.version + 1;
  }

  /** A version updated in place: the same executable, with new logic loaded into it. */
  commitInPlace(base: Artifact): Artifact {
    this.version++;
    return { version: this.version, path: base.path, builtAt: this.clock.now(), updatedInPlace: true };
  }

  /** Deletes a failed or cancelled attempt's output. */
  discard(file: string): void {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }

  /** Deletes every artifact except those still in use (running, last good). */
  prune(keep: Artifact[]): void {
    // The folder of the build under way stays too.
    pruneFolder(this.dir, new Set([...keep.map((a) => path.dirname(a.path)), path.join(this.dir, `b${this.attempt}`)]));
  }
}
