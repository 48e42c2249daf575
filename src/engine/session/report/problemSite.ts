import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../kernel/diagnostic';

/** Source files larger than this are not searched: a port is named in code, not in data. */
const MAX_SEARCHED = 512 * 1024;
/** Where programs commonly open their listener, when no line names the port. */
const LISTEN_CALL = /ListenAndServe|net\.Listen\(|\.Run\(|\.Start\(|\.listen\(/;

/**
 * A diagnostic for a mistake in how the program is set up (not a crash, which has a stack): put
 * where the user fixes it. That is the line naming `port` when one does, else the first line that
 * opens a listener, else the top of the first source file; none when there are no sources.
 */
export function setupDiagnostic(files: readonly string[], root: string, message: string, port: number | undefined): Diagnostic | undefined {
  const sources = [...files].filter((f) => /\.(go|[cm]?[jt]sx?)$/.test(f)).sort((a, b) => rank(a, root) - rank(b, root) || a.localeCompare(b));
  const texts = sources.flatMap((file) => {
    const text = read(file);
    return text === undefined ? [] : [{ file, lines: text.split('\n') }];
  });
  const named = port !== undefined ? new RegExp(`(^|[^0-9])${port}([^0-9]|$)`) : undefined;
  for (const pattern of named ? [named, LISTEN_CALL] : [LISTEN_CALL]) {
    for (const { file, lines } of texts) {
      const index = lines.findIndex((line) => pattern.test(line) && !/^\s*\/\//.test(line));
      if (index >= 0) return at(file, index + 1, message);
    }
  }
  return texts.length > 0 ? at(texts[0].file, 1, message) : undefined;
}

/** The program's own files first (a main package before vendored or generated ones). */
function rank(file: string, root: string): number {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || /(^|\/)(vendor|node_modules)\//.test(rel)) return 2;
  return /(^|\/)(main\.go|index\.[cm]?[jt]s|main\.[cm]?[jt]s|server\.[cm]?[jt]s)$/.test(rel) ? 0 : 1;
}

function read(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > MAX_SEARCHED) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function at(file: string, line: number, message: string): Diagnostic {
  return { file, line, column: 0, severity: 'error', message, source: 'proxy', related: [] };
}
