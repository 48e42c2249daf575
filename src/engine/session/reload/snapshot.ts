import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffLines } from 'diff';
import type { ChangedFile } from '../../kernel/events';
import { hashOf } from '../../watch/contentHashes';

/** A file that differs between the running version's sources and the working tree. */
export interface SourceChange extends ChangedFile {
  added: number;
  removed: number;
  /** Too large to keep a copy of (over 1 MB): known to differ by its hash, not compared line by line. */
  large?: boolean;
  /** Compared from the editor's unsaved text, not the file on disk. */
  unsaved?: boolean;
}

/**
 * The sources each build was made from, so the editor can diff the running
 * version against the working tree. Contents live in a content-addressed store
 * under the work dir; a build records only the files that changed since the
 * last one, so its cost follows the change, not the size of the repository.
 * Only what the running version and the working tree need is kept; large files
 * are tracked by their hash alone.
 */
export class SourceSnapshot {
  private readonly objects: string;
  /** Content hash of each file as of the last successful build (undefined: absent). */
  private readonly built = new Map<string, string>();
  /** Current content hash of files changed since the last successful build (null: deleted). */
  private readonly dirty = new Map<string, string | null>();
  /** Hashes with a copy in the store. */
  private readonly stored = new Set<string>();

  constructor(workDir: string) {
    this.objects = path.join(workDir, 'snapshots');
  }

  /** A file's content as first seen (the baseline the first build is made from). */
  recordBaseline(file: string, content: Buffer | undefined, hash: string): void {
    if (this.built.has(file) || this.dirty.has(file)) return;
    if (content !== undefined) this.store(hash, content);
    this.built.set(file, hash);
  }

  /** A file's new content (or its deletion: no hash; or a large file: a hash but no content), seen by the watcher or an editor save. */
  recordChange(file: string, content: Buffer | undefined, hash: string | undefined): void {
    if (content !== undefined && hash !== undefined) this.store(hash, content);
    this.dirty.set(file, hash ?? null);
  }

  /** The files a build starting now is made from, to be marked built if it succeeds. */
  pendingForBuild(): Map<string, string | null> {
    return new Map(this.dirty);
  }

  /**
   * Marks the files a successful build was made from as the running version,
   * and returns how each differs from the version before it.
   */
  markBuilt(inBuild: Map<string, string | null>): SourceChange[] {
    const changes: SourceChange[] = [];
    for (const [file, hash] of inBuild) {
      const before = this.built.get(file);
      if (hash === null) this.built.delete(file);
      else this.built.set(file, hash);
      if (this.dirty.get(file) === hash) this.dirty.delete(file);
      if (before === (hash ?? undefined)) continue;
      changes.push(this.describe(file, before, hash ?? undefined));
    }
    this.prune();
    return changes;
  }

  /**
   * Files whose content as the user sees it differs from the running version's: the editor's
   * unsaved text where there is some (`unsaved`, by absolute path), else the file on disk.
   */
  changes(unsaved: ReadonlyMap<string, string> = new Map()): SourceChange[] {
    const result: SourceChange[] = [];
    for (const [file, hash] of this.dirty) {
      if (unsaved.has(file)) continue;
      const before = this.built.get(file);
      if (before !== (hash ?? undefined)) result.push(this.describe(file, before, hash ?? undefined));
    }
    for (const [file, text] of unsaved) {
      const before = this.built.get(file);
      if (before !== hashOf(Buffer.from(text, 'utf8'))) result.push(this.describeText(file, before, text));
    }
    return result.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Every file the running version was built from, as far as the watcher knows them. */
  builtFiles(): string[] {
    return [...this.built.keys()];
  }

  /** The running version's content of a file (undefined when it did not exist then). */
  builtContent(file: string): Buffer | undefined {
    const hash = this.built.get(file);
    return hash === undefined ? undefined : this.load(hash);
  }

  private describe(file: string, before: string | undefined, after: string | undefined): SourceChange {
    const kind = before === undefined ? 'create' : after === undefined ? 'delete' : 'update';
    if ((before && !this.stored.has(before)) || (after && !this.stored.has(after))) return { path: file, kind, added: 0, removed: 0, large: true };
    const oldText = before ? (this.load(before)?.toString('utf8') ?? '') : '';
    const newText = after ? (this.load(after)?.toString('utf8') ?? '') : '';
    return { path: file, kind, ...countLines(oldText, newText) };
  }

  /** Like describe, with the editor's text as the new side (it has no copy in the store). */
  private describeText(file: string, before: string | undefined, text: string): SourceChange {
    const kind = before === undefined ? 'create' : 'update';
    if (before && !this.stored.has(before)) return { path: file, kind, added: 0, removed: 0, large: true, unsaved: true };
    return { path: file, kind, ...countLines(before ? (this.load(before)?.toString('utf8') ?? '') : '', text), unsaved: true };
  }

  private store(hash: string, content: Buffer): void {
    if (this.stored.has(hash)) return;
    try {
      fs.writeFileSync(path.join(this.objects, hash), content, { flag: 'wx', mode: 0o600 });
      this.stored.add(hash);
    } catch (err) {
      // A snapshot that cannot be written only costs the diff view, never a reload.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') this.stored.add(hash);
    }
  }

  /** Deletes the copies neither the running version nor the working tree needs any more. */
  private prune(): void {
    const needed = new Set<string>(this.built.values());
    for (const hash of this.dirty.values()) if (hash !== null) needed.add(hash);
    for (const hash of this.stored) {
      if (needed.has(hash)) continue;
      fs.rmSync(path.join(this.objects, hash), { force: true });
      this.stored.delete(hash);
    }
  }

  /** How many copies the store holds (tests, the soak's figures). */
  get storedCount(): number {
    return this.stored.size;
  }

  private load(hash: string): Buffer | undefined {
    try {
      return fs.readFileSync(path.join(this.objects, hash));
    } catch {
      return undefined;
    }
  }
}

function countLines(oldText: string, newText: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(oldText, newText)) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}
