import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Settings } from '../settings/types';

/**
 * Which paths under root count as a change. Structurally a `WatchFilter` (watch/watcher.ts).
 *
 * A file counts when all of these hold:
 * - it is under `root` (or under root's real path, for watchers that report resolved symlinks);
 * - it is not inside a `.git`, `vendor` or `node_modules` directory (at any depth), nor inside the
 *   work dir, and is not the custom build's `binary`, nor an editor temp file (`isEditorTempFile`);
 * - it matches no `exclude` glob and no `excludeRegex`;
 * - and then either it matches an `alwaysInclude` glob, or: its extension is in `extensions`
 *   (empty means any; compared without case), it matches an `include` glob (empty means all), and
 *   git does not ignore it (when `useGitignore`).
 *
 * Globs are picomatch patterns on the root-relative path with forward slashes; dotfiles match
 * wildcards. A glob that matches a directory covers everything inside it ("tmp" and "tmp/**" both
 * exclude the whole tmp directory). A leading "./" and a trailing "/" are dropped. Regexes
 * (JavaScript syntax; a leading Go-style `(?i)`, `(?s)`, `(?m)` is understood) are searched in the
 * same root-relative path, unanchored.
 *
 * Gitignore follows git: `.git/info/exclude` and the `.gitignore` of the repository top (found by
 * walking up from root to the `.git` entry; root itself when there is none) and of every directory
 * between it and the file, deeper files taking precedence, negations (`!keep.log`) honoured, and
 * nothing re-included inside an ignored directory. Rules above root apply to paths below root,
 * unless they ignore root itself (a scratch folder git ignores is still watched, with only its own
 * .gitignore files). Git's global excludes file (core.excludesFile) is not read.
 *
 * The .gitignore files are read lazily and cached per directory. A directory's entry is dropped
 * whenever `accepts` sees its `.gitignore` (the watchers pass every event through `accepts`, so a
 * .gitignore created, edited or deleted while running takes effect), and all are dropped by
 * `reloadGitignore()`, which the engine should call if it learns of a change another way (e.g.
 * `.git/info/exclude`, whose directory the native watcher ignores).
 */
export interface PathFilter {
  /** Whether a change to this file (absolute path) should count. */
  accepts(absPath: string): boolean;
  /**
   * Whether a whole directory can be skipped (never watched, never walked): outside root, a
   * built-in ignored directory, the work dir, excluded by a glob, git-ignored, or out of reach of
   * every `include` pattern. Only true when no file inside could be accepted (regexes and
   * extensions never prune directories). Safe to call with a file path (chokidar does).
   */
  ignoresDir(absDir: string): boolean;
  /**
   * Patterns for @parcel/watcher's `ignore` option, relative to `root` (the directory to watch):
   * .git, node_modules and vendor at any depth, the work dir, and the `exclude` globs. A subset of
   * what `accepts` rejects, so events are still filtered by `accepts`.
   */
  ignoreGlobs(): string[];
  /** Forget the cached .gitignore rules; they are read again when next needed. */
  reloadGitignore(): void;
}

/** Directories never watched, at any depth. */
export const ALWAYS_IGNORED_DIRS: readonly string[] = ['.git', 'vendor', 'node_modules'];

/**
 * Editor and tool temp files: backups (`main.go~`), Emacs locks and autosaves (`.#main.go`,
 * `#main.go#`), Vim swap files (`.main.go.swp`/`.swo`/`.swn`/`.swx`) and its write probe `4913`,
 * JetBrains safe-write files (`main.go___jb_tmp___`, `___jb_old___`), Kate swap files
 * (`.main.go.kate-swp`), gedit's `.goutputstream-*`, and `*.tmp`.
 */
export function isEditorTempFile(name: string): boolean {
  return (
    name.endsWith('~') ||
    name.startsWith('.#') ||
    (name.length > 2 && name.startsWith('#') && name.endsWith('#')) ||
    /\.sw[ponx]$/.test(name) ||
    name.endsWith('.tmp') ||
    name === '4913' ||
    name.includes('___jb_tmp___') ||
    name.includes('___jb_old___') ||
    (name.startsWith('.') && name.endsWith('.kate-swp')) ||
    name.startsWith('.goutputstream-')
  );
}

/**
 * Compiles an `excludeRegex` entry. JavaScript syntax, which agrees with Go's RE2 for the patterns
 * people write (`_test\.go$`, `^gen/`); a leading Go inline flag group such as `(?i)` becomes the
 * matching JavaScript flag. Throws a SyntaxError when the pattern does not compile.
 */
export function compilePathRegex(source: string): RegExp {
  let flags = '';
  let body = source;
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    for (const f of inline[1]) {
      if (f === 'U') throw new SyntaxError(`Invalid regular expression: /${source}/: the (?U) flag is not supported`);
      if (!flags.includes(f)) flags += f;
    }
    body = body.slice(inline[0].length);
  }
  return new RegExp(body, flags);
}

type FilterSettings = Pick<Settings, 'root' | 'workDir' | 'binary' | 'include' | 'exclude' | 'excludeRegex' | 'extensions' | 'useGitignore' | 'alwaysInclude'>;

interface GlobSet {
  patterns: string[];
  match: ((rel: string) => boolean)[];
}

export function createPathFilter(settings: FilterSettings): PathFilter {
  const root = path.resolve(settings.root);
  const roots = [root];
  try {
    const real = fs.realpathSync(root);
    if (real !== root) roots.push(real);
  } catch {
    // root does not exist (yet): only its given path counts.
  }

  /** Root-relative path with forward slashes, NFC; '' for root itself; undefined outside root. */
  const relOf = (abs: string): string | undefined => {
    for (const r of roots) {
      const rel = path.relative(r, path.resolve(abs));
      if (rel === '') return '';
      if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) continue;
      return rel.split(path.sep).join('/').normalize('NFC');
    }
    return undefined;
  };

  const workRel = relOf(settings.workDir);
  const binaryRel = settings.binary ? relOf(settings.binary) : undefined;
  const extensions = new Set(settings.extensions.map((e) => e.replace(/^\./, '').toLowerCase()).filter((e) => e !== '*'));
  const anyExtension = extensions.size === 0 || settings.extensions.some((e) => e.trim() === '*');

  const globSet = (patterns: readonly string[] | undefined): GlobSet => {
    const normalized = (patterns ?? []).map((p) => normalizePattern(p, relOf)).filter((p) => p !== '');
    return { patterns: normalized, match: normalized.map((p) => picomatch(p, { dot: true })) };
  };
  const include = globSet(settings.include);
  const exclude = globSet(settings.exclude);
  const alwaysInclude = globSet(settings.alwaysInclude);
  const regexes = settings.excludeRegex.flatMap((src) => {
    try {
      return [compilePathRegex(src)];
    } catch {
      return []; // resolveSettings reports it; a filter must not throw.
    }
  });

  const gitignore = settings.useGitignore ? new GitignoreRules(root) : undefined;

  const inBuiltinIgnoredDir = (segments: string[], dirCount: number): boolean => {
    for (let i = 0; i < dirCount; i++) if (ALWAYS_IGNORED_DIRS.includes(segments[i])) return true;
    return false;
  };
  const inWorkDir = (rel: string): boolean => workRel !== undefined && workRel !== '' && (rel === workRel || rel.startsWith(`${workRel}/`));

  return {
    accepts(absPath: string): boolean {
      const rel = relOf(absPath);
      if (rel === undefined || rel === '') return false;
      const segments = rel.split('/');
      const name = segments[segments.length - 1];
      if (name === '.gitignore') gitignore?.invalidate(segments.slice(0, -1));
      if (inBuiltinIgnoredDir(segments, segments.length - 1) || name === '.git') return false;
      if (inWorkDir(rel)) return false;
      if (binaryRel !== undefined && rel === binaryRel) return false;
      if (isEditorTempFile(name)) return false;
      // Test files never change what `go build` produces: rebuilding for them only costs time.
      if (name.endsWith('_test.go')) return false;
      if (matchesSelfOrAncestor(exclude, rel)) return false;
      if (regexes.some((re) => re.test(rel))) return false;
      if (matchesSelfOrAncestor(alwaysInclude, rel)) return true;
      if (!anyExtension) {
        const ext = path.posix.extname(name).slice(1).toLowerCase();
        if (!extensions.has(ext)) return false;
      }
      if (include.patterns.length > 0 && !matchesSelfOrAncestor(include, rel)) return false;
      if (gitignore?.ignores(rel, false)) return false;
      return true;
    },

    ignoresDir(absDir: string): boolean {
      const rel = relOf(absDir);
      if (rel === undefined) return true;
      if (rel === '') return false;
      const segments = rel.split('/');
      if (inBuiltinIgnoredDir(segments, segments.length)) return true;
      if (inWorkDir(rel)) return true;
      if (matchesSelfOrAncestor(exclude, rel)) return true;
      const forcedInside = couldMatchInside(alwaysInclude, rel);
      if (include.patterns.length > 0 && !couldMatchInside(include, rel) && !forcedInside) return true;
      if (!forcedInside && gitignore?.ignores(rel, true)) return true;
      return false;
    },

    ignoreGlobs(): string[] {
      const globs: string[] = [];
      for (const dir of ALWAYS_IGNORED_DIRS) globs.push(`**/${dir}`, `**/${dir}/**`);
      if (workRel !== undefined && workRel !== '') {
        const escaped = escapeGlob(workRel);
        globs.push(escaped, `${escaped}/**`);
      }
      for (const pattern of exclude.patterns) {
        if (pattern.startsWith('!')) continue; // a negated glob would make the watcher skip nearly everything
        globs.push(pattern);
        if (!pattern.endsWith('/**')) globs.push(`${pattern}/**`);
      }
      return globs;
    },

    reloadGitignore(): void {
      gitignore?.clear();
    },
  };
}

/** Escapes the characters picomatch treats specially, so a literal path can be used as a glob. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[\\*?[\]{}()!+@|^$]/g, '\\$&');
}

function normalizePattern(pattern: string, relOf: (abs: string) => string | undefined): string {
  let p = pattern.trim();
  if (path.isAbsolute(p)) {
    const rel = relOf(p);
    if (rel !== undefined) p = rel;
  }
  if (path.sep === '\\') p = p.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p === '.' ? '**' : p.normalize('NFC');
}

/** Whether a pattern matches the path or one of its parent directories. */
function matchesSelfOrAncestor(set: GlobSet, rel: string): boolean {
  if (set.match.length === 0) return false;
  let candidate = rel;
  for (;;) {
    if (set.match.some((m) => m(candidate))) return true;
    const slash = candidate.lastIndexOf('/');
    if (slash <= 0) return false;
    candidate = candidate.slice(0, slash);
  }
}

/** Whether some pattern could match the directory `relDir`, an ancestor of it, or something inside it. */
function couldMatchInside(set: GlobSet, relDir: string): boolean {
  for (const pattern of set.patterns) {
    const scan = picomatch.scan(pattern);
    const base = scan.negated || scan.base.includes('\\') ? '' : scan.base;
    if (base === '' || base === relDir || base.startsWith(`${relDir}/`) || relDir.startsWith(`${base}/`)) return true;
  }
  return false;
}

/** .gitignore rules from the repository top down, read lazily and cached per directory. */
class GitignoreRules {
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
