import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChangedFile } from '../../kernel/events';
import { filesOpenForWriting } from '../../processes/openForWriting';

/**
 * A SQLite database's companions (`app.db-wal`, `app.db-shm`, `app.db-journal`) come and go with
 * its transactions: a file learnt as the program's brings them along.
 */
const COMPANION = /-(wal|shm|journal)$/;

export interface ProgramWritesDeps {
  root: string;
  /** The process group leaders of the versions running on this machine now (none for a remote target). */
  writers: () => readonly number[];
  log: (message: string) => void;
}

/**
 * Learns which files the program itself writes in the project folder (an embedded database and its
 * journal, a log, a cache), so that they never reload it: a watcher event for a file that a running
 * version holds open for writing at that moment (or for a companion of one) is left out, and so is
 * every later event for it. Only the watcher's events are sifted: an editor's save always counts.
 * A file the program writes and closes before its event is looked at is not caught; the exclude
 * settings cover those.
 */
export class ProgramWrites {
  /** Learnt files, by family (the database's path for its companions). */
  private readonly learnt = new Set<string>();

  constructor(private readonly deps: ProgramWritesDeps) {}

  /** The changes that are not the program's own writes; learns those that are. */
  sift(changes: ChangedFile[]): ChangedFile[] {
    let open: Set<string> | undefined;
    const kept: ChangedFile[] = [];
    for (const change of changes) {
      const family = familyOf(change.path);
      if (this.learnt.has(family)) continue;
      open ??= this.openFamilies();
      if (open.size > 0 && (open.has(family) || open.has(familyOf(realPath(change.path))))) {
        this.learn(change.path, family);
        continue;
      }
      kept.push(change);
    }
    return kept;
  }

  private learn(file: string, family: string): void {
    this.learnt.add(family);
    const name = path.relative(this.deps.root, family) || family;
    const companions = file !== family || COMPANION.test(file) ? ' (and its -wal, -shm and -journal files)' : '';
    this.deps.log(`ignoring changes to ${name}${companions}: the program writes it while it runs`);
  }

  private openFamilies(): Set<string> {
    const writers = this.deps.writers();
    if (writers.length === 0) return new Set();
    return new Set([...filesOpenForWriting(writers)].map(familyOf));
  }
}

function familyOf(file: string): string {
  return file.replace(COMPANION, '');
}

/** The path with its folder's symlinks resolved, as /proc names open files; the path itself when that fails (a deleted file's folder). */
function realPath(file: string): string {
  try {
    return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
  } catch {
    return file;
  }
}
