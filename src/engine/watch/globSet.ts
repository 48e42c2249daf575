import * as path from 'node:path';
import picomatch from 'picomatch';

/** Glob patterns on root-relative paths (forward slashes), compiled once. */
export interface GlobSet {
  patterns: string[];
  match: ((rel: string) => boolean)[];
}

/** Compiles patterns: a leading "./" and a trailing "/" dropped, absolute paths under root made relative. */
export function globSet(patterns: readonly string[] | undefined, relOf: (abs: string) => string | undefined): GlobSet {
  const normalized = (patterns ?? []).map((p) => normalizePattern(p, relOf)).filter((p) => p !== '');
  return { patterns: normalized, match: normalized.map((p) => picomatch(p, { dot: true })) };
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
export function matchesSelfOrAncestor(set: GlobSet, rel: string): boolean {
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
export function couldMatchInside(set: GlobSet, relDir: string): boolean {
  for (const pattern of set.patterns) {
    const scan = picomatch.scan(pattern);
    const base = scan.negated || scan.base.includes('\\') ? '' : scan.base;
    if (base === '' || base === relDir || base.startsWith(`${relDir}/`) || relDir.startsWith(`${base}/`)) return true;
  }
  return false;
}
