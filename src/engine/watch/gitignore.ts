import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** .gitignore rules from the repository top down, read lazily and cached per directory. */
export class GitignoreRules {
  /** The repository top (the directory holding `.git`), or root when there is none above. */
  private top: string;
  /** Root's path below `top`, as segments. */
  private rootSegments: string[];
  private readonly cache = new Map<string, Ignore | null>();
  private readonly ignorecase = process.platform === 'darwin' || process.platform === 'win32';

  constructor(private readonly root: string) {
    this.top = findGitTop(root) ?? root;
    const rel = path.relative(this.top, root);
    this.rootSegments = rel === '' ? [] : rel.split(path.sep).map((s) => s.normalize('NFC'));
    this.fallBackIfRootIgnored();
  }

  /**
   * A root that git itself ignores (a scratch folder inside a repository) would have every file
   * ignored: then the rules above root are left out, and root is treated as the top.
   */
  private fallBackIfRootIgnored(): void {
    for (let end = 1; end <= this.rootSegments.length; end++) {
      if (this.ignoredAt(this.rootSegments, end, true)) {
        this.top = this.root;
        this.rootSegments = [];
        this.cache.clear();
        return;
      }
    }
  }

  clear(): void {
    this.cache.clear();
  }

  /** Forgets the rules of one directory (root-relative segments), whose .gitignore changed. */
  invalidate(dirSegments: string[]): void {
    this.cache.delete([...this.rootSegments, ...dirSegments].join('/'));
  }

  /** Whether git ignores the root-relative path (a directory when `isDir`). */
  ignores(rel: string, isDir: boolean): boolean {
    const parts = [...this.rootSegments, ...rel.split('/')];
    // Each ancestor below root, then the path itself: inside an ignored directory, nothing comes back.
    for (let end = this.rootSegments.length + 1; end <= parts.length; end++) {
      if (this.ignoredAt(parts, end, end < parts.length || isDir)) return true;
    }
    return false;
  }

  /** Whether the path made of the first `end` parts is ignored by the rules of the directories above it. */
  private ignoredAt(parts: string[], end: number, isDir: boolean): boolean {
    let ignored = false;
    for (let level = 0; level < end; level++) {
      const rules = this.rulesAt(parts.slice(0, level));
      if (!rules) continue;
      const sub = parts.slice(level, end).join('/') + (isDir ? '/' : '');
      let result: { ignored: boolean; unignored: boolean };
      try {
        result = rules.test(sub);
      } catch {
        continue; // a path the ignore package cannot test (e.g. odd characters): not ignored by this file.
      }
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }

  private rulesAt(segments: string[]): Ignore | null {
    const key = segments.join('/');
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const dir = path.join(this.top, ...segments);
    const texts: string[] = [];
    if (segments.length === 0) {
      const exclude = readText(path.join(this.top, '.git', 'info', 'exclude'));
      if (exclude !== undefined) texts.push(exclude);
    }
    const own = readText(path.join(dir, '.gitignore'));
    if (own !== undefined) texts.push(own);
    const rules = texts.length > 0 ? ignore({ ignorecase: this.ignorecase }).add(texts.join('\n').normalize('NFC')) : null;
    this.cache.set(key, rules);
    return rules;
  }
}

function findGitTop(start: string): string | undefined {
  let current = start;
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
