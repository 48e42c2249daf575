import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePathRegex, escapeGlob } from '../kernel/pathPatterns';
import type { Settings } from '../settings/types';
import { isEditorTempFile } from './editorTempFiles';
import { GitignoreRules } from './gitignore';
import { couldMatchInside, globSet, matchesSelfOrAncestor, type GlobSet } from './globSet';

export { isEditorTempFile } from './editorTempFiles';

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
  /**
   * Files the build reads besides the sources the settings name (a Go program's `//go:embed`
   * files): accepted whatever their extension, include globs or gitignore, unless excluded. Each
   * call replaces the last one's list.
   */
  acceptAlso(files: readonly string[]): void;
}

/**
 * Directories never watched, at any depth: git's, vendored and npm dependencies, and Hot Reload's
 * own work dir when a project keeps it inside (`.hotreload`, the name the docs suggest).
 */
const ALWAYS_IGNORED_DIRS: readonly string[] = ['.git', 'vendor', 'node_modules', '.hotreload'];

type FilterSettings = Pick<Settings, 'root' | 'workDir' | 'binary' | 'include' | 'exclude' | 'excludeRegex' | 'extensions' | 'useGitignore' | 'alwaysInclude'>;

export function createPathFilter(settings: FilterSettings): PathFilter {
  return new SettingsFilter(settings);
}

/** The settings' rules, compiled once: globs, regexes, extensions, the paths to leave out, the gitignore rules. */
class SettingsFilter implements PathFilter {
  private readonly relOf: (abs: string) => string | undefined;
  private readonly workRel: string | undefined;
  private readonly binaryRel: string | undefined;
  /** Without the dot, lower case; empty with anyExtension. */
  private readonly extensions: Set<string>;
  private readonly anyExtension: boolean;
  private readonly include: GlobSet;
  private readonly exclude: GlobSet;
  private readonly alwaysInclude: GlobSet;
  private readonly regexes: RegExp[];
  private readonly gitignore: GitignoreRules | undefined;
  /** acceptAlso's files, root-relative. */
  private extra = new Set<string>();

  constructor(settings: FilterSettings) {
    const root = path.resolve(settings.root);
    const relOf = rootRelative(root);
    this.relOf = relOf;
    this.workRel = relOf(settings.workDir);
    this.binaryRel = settings.binary ? relOf(settings.binary) : undefined;
    this.extensions = new Set(settings.extensions.map((e) => e.replace(/^\./, '').toLowerCase()).filter((e) => e !== '*'));
    this.anyExtension = this.extensions.size === 0 || settings.extensions.some((e) => e.trim() === '*');
    this.include = globSet(settings.include, relOf);
    this.exclude = globSet(settings.exclude, relOf);
    this.alwaysInclude = globSet(settings.alwaysInclude, relOf);
    this.regexes = settings.excludeRegex.flatMap((src) => {
      try {
        return [compilePathRegex(src)];
      } catch {
        return []; // resolveSettings reports it; a filter must not throw.
      }
    });
    this.gitignore = settings.useGitignore ? new GitignoreRules(root) : undefined;
  }

  accepts(absPath: string): boolean {
    const rel = this.relOf(absPath);
    if (rel === undefined || rel === '') return false;
    const segments = rel.split('/');
    const name = segments[segments.length - 1];
    if (name === '.gitignore') this.gitignore?.invalidate(segments.slice(0, -1));
    if (inBuiltinIgnoredDir(segments, segments.length - 1) || name === '.git') return false;
    if (this.inWorkDir(rel)) return false;
    if (this.binaryRel !== undefined && rel === this.binaryRel) return false;
    if (isEditorTempFile(name)) return false;
    // Test files never change what `go build` produces: rebuilding for them only costs time.
    if (name.endsWith('_test.go')) return false;
    if (matchesSelfOrAncestor(this.exclude, rel)) return false;
    if (this.regexes.some((re) => re.test(rel))) return false;
    if (matchesSelfOrAncestor(this.alwaysInclude, rel) || this.extra.has(rel)) return true;
    if (!this.anyExtension) {
      const ext = path.posix.extname(name).slice(1).toLowerCase();
      if (!this.extensions.has(ext)) return false;
    }
    if (this.include.patterns.length > 0 && !matchesSelfOrAncestor(this.include, rel)) return false;
    if (this.gitignore?.ignores(rel, false)) return false;
    return true;
  }

  ignoresDir(absDir: string): boolean {
    const rel = this.relOf(absDir);
    if (rel === undefined) return true;
    if (rel === '') return false;
    const segments = rel.split('/');
    if (inBuiltinIgnoredDir(segments, segments.length)) return true;
    if (this.inWorkDir(rel)) return true;
    if (matchesSelfOrAncestor(this.exclude, rel)) return true;
    const forcedInside = couldMatchInside(this.alwaysInclude, rel) || [...this.extra].some((file) => file.startsWith(`${rel}/`));
    if (this.include.patterns.length > 0 && !couldMatchInside(this.include, rel) && !forcedInside) return true;
    if (!forcedInside && this.gitignore?.ignores(rel, true)) return true;
    return false;
  }

  acceptAlso(files: readonly string[]): void {
    this.extra = new Set(files.map((file) => this.relOf(file)).filter((rel): rel is string => rel !== undefined && rel !== ''));
  }

  ignoreGlobs(): string[] {
    const globs: string[] = [];
    for (const dir of ALWAYS_IGNORED_DIRS) globs.push(`**/${dir}`, `**/${dir}/**`);
    if (this.workRel !== undefined && this.workRel !== '') {
      const escaped = escapeGlob(this.workRel);
      globs.push(escaped, `${escaped}/**`);
    }
    for (const pattern of this.exclude.patterns) {
      if (pattern.startsWith('!')) continue; // a negated glob would make the watcher skip nearly everything
      globs.push(pattern);
      if (!pattern.endsWith('/**')) globs.push(`${pattern}/**`);
    }
    return globs;
  }

  reloadGitignore(): void {
    this.gitignore?.clear();
  }

  private inWorkDir(rel: string): boolean {
    const { workRel } = this;
    return workRel !== undefined && workRel !== '' && (rel === workRel || rel.startsWith(`${workRel}/`));
  }
}

/**
 * The root-relative path of a file, with forward slashes, NFC; '' for root itself; undefined
 * outside root. Paths under root's real path count too (watchers that report resolved symlinks).
 */
function rootRelative(root: string): (abs: string) => string | undefined {
  const roots = [root];
  try {
    const real = fs.realpathSync(root);
    if (real !== root) roots.push(real);
  } catch {
    // root does not exist (yet): only its given path counts.
  }
  return (abs) => {
    for (const r of roots) {
      const rel = path.relative(r, path.resolve(abs));
      if (rel === '') return '';
      if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) continue;
      return rel.split(path.sep).join('/').normalize('NFC');
    }
    return undefined;
  };
}

function inBuiltinIgnoredDir(segments: string[], dirCount: number): boolean {
  for (let i = 0; i < dirCount; i++) if (ALWAYS_IGNORED_DIRS.includes(segments[i])) return true;
  return false;
}
