import * as path from 'node:path';
import { resolveToolPath } from '../../kernel/paths';
import type { Diagnostic } from '../../kernel/diagnostic';

export interface GoBuildOutputContext {
  /** Directory `go` ran in: go prints file paths relative to it. */
  cwd: string;
  /** Directory holding go.mod: module problems without a position are reported on its go.mod. */
  moduleRoot: string;
}

/**
 * Turns the combined output of `go build` / `go vet` (compiler, vet, cgo/gcc and
 * module errors) into diagnostics.
 *
 * - File paths are resolved against `cwd`, as go prints them relative to where it ran,
 *   also for errors in other packages (`internal/x/y.go`, `../../lib/z.go`).
 * - Tab-indented lines continue the previous diagnostic: `\tpath:line:col: msg` becomes a
 *   related location, other text is appended to the message on a new line (indent removed).
 * - Module problems without a position (`go: updates to go.mod needed…`) are reported on
 *   `<moduleRoot>/go.mod` line 0 with the `go: ` prefix removed; the header `go: errors
 *   parsing go.mod:` is dropped when a positioned error follows it.
 * - Lines that say nothing by themselves (`# pkg` headers, `too many errors`,
 *   `go: downloading …`, gcc context and source excerpts) are skipped.
 *
 * Output that is none of these (import cycles, linker errors, `go: -race requires cgo`) yields
 * no diagnostic; get it with {@link summarizeUnparsed} so a failed build is never silent.
 */
export function parseGoBuildOutput(output: string, opts: GoBuildOutputContext): Diagnostic[] {
  return scan(output, opts).diagnostics;
}

/**
 * The lines of `output` that {@link parseGoBuildOutput} turned into nothing and did not
 * recognise as noise, joined with '\n' ('' when there are none). Meant for the case where a
 * build failed and no diagnostic was found: show this text rather than lose the reason.
 * At most `maxLines` lines are kept, followed by a line telling how many were cut.
 */
export function summarizeUnparsed(output: string, maxLines = 40): string {
  // Path resolution does not affect which lines are left over.
  const { unparsed } = scan(output, { cwd: '/', moduleRoot: '/' });
  if (unparsed.length <= maxLines) {
    return unparsed.join('\n');
  }
  const kept = unparsed.slice(0, maxLines);
  kept.push(`… ${unparsed.length - maxLines} more lines`);
  return kept.join('\n');
}

interface ScanResult {
  diagnostics: Diagnostic[];
  unparsed: string[];
}

interface Position {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * `path:line:col: message` or `path:line: message`. The path must end in a file extension,
 * may start with a Windows drive (`C:\x\main.go`) and contains no other colon.
 */
const POSITION = /^((?:[A-Za-z]:)?[^:]*?\.[A-Za-z0-9]+):(\d+)(?::(\d+))?: ?(.*)$/;

/** gcc (cgo) prefixes its messages with a kind. */
const GCC_KIND = /^(error|fatal error|warning|note): (.*)$/;

/** Lines that are context for other lines, never a problem on their own. */
const NOISE = [
  /^# /, // package header: `# example.com/m/pkg`, vet's `# [example.com/m/pkg]`
  /^too many errors$/,
  /^go: (downloading|extracting|finding|found|added|upgraded|downgraded|removed) /,
  /: (In function|In member function|At top level)\b.*:$/, // gcc context
  /^In file included from /,
  /^\s+from \S+:\d+[:,]$/,
  /^\s*\d*\s*\|/, // gcc source excerpt and caret lines: `    4 | int f()`, `      |   ^~~`
];

/** Module-level problems: they mention go.mod/go.sum/go.work, the main module, or a module@version. */
const MODULE_PROBLEM = /\bgo\.(?:mod|sum|work)\b|\bmain module\b|\S@v\d/;

/**
 * The shape of a go error line, `subject: detail` (`go: …`, `verifying x@v1: …`, `malformed go.sum:`),
 * so that explanatory prose after a module error (`…recorded in go.sum.`) is not taken for another one.
 */
const ERROR_LINE = /^\S[^:]*:(?: |$)/;

/** `found packages main (main.go) and other (other.go) in /dir`: two files disagree on the package name. */
const FOUND_PACKAGES = /^found packages \S+ \((.+?)\) and \S+ \((.+?)\) in (.+)$/;

function scan(output: string, opts: GoBuildOutputContext): ScanResult {
  const diagnostics: Diagnostic[] = [];
  const unparsed: string[] = [];
  // The diagnostic that tab-indented lines continue.
  let current: Diagnostic | undefined;
  // A position-less module line ending in ':' that nothing continued yet, e.g.
  // `go: errors parsing go.mod:`; it only introduces the positioned line that follows.
  let header: Diagnostic | undefined;

  const add = (diagnostic: Diagnostic): void => {
    diagnostics.push(diagnostic);
    current = diagnostic;
  };

  for (const rawLine of output.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    if (line === '') {
      current = undefined;
      header = undefined;
      continue;
    }

    if (line.startsWith('\t')) {
      const text = line.replace(/^\t+/, '');
      if (!current) {
        unparsed.push(line);
        continue;
      }
      const related = matchPosition(text, opts.cwd);
      if (related) {
        current.related.push(related);
      } else {
        current.message += '\n' + text;
      }
      header = undefined;
      continue;
    }

    if (NOISE.some((re) => re.test(line))) {
      if (line.startsWith('# ')) {
        current = undefined; // a new package: nothing continues across it
      }
      continue;
    }

    // go vet reports type errors as `vet: ./main.go:9:14: …`.
    const text = line.replace(/^vet: /, '');
    const position = matchPosition(text, opts.cwd);
    if (position) {
      if (header) {
        diagnostics.splice(diagnostics.indexOf(header), 1);
        header = undefined;
      }
      // The compiler puts a position on its `too many errors` line too.
      if (position.message === 'too many errors') {
        continue;
      }
      const [, gccKind, gccMessage] = GCC_KIND.exec(position.message) ?? [];
      if (gccKind === 'note') {
        current?.related.push({ ...position, message: gccMessage });
        continue;
      }
      const diagnostic = diagnosticAt(position.file, position.line, position.column, gccMessage ?? position.message);
      if (gccKind === 'warning') {
        diagnostic.severity = 'warning';
      }
      add(diagnostic);
      continue;
    }

    const packages = FOUND_PACKAGES.exec(text);
    if (packages) {
      // Either file may be the wrong one, so both get the message.
      const [, first, second, dir] = packages;
      for (const name of [first, second]) {
        add(diagnosticAt(resolveToolPath(dir, name), 0, 0, text));
      }
      continue;
    }

    if (MODULE_PROBLEM.test(text) && ERROR_LINE.test(text)) {
      const goMod = resolveToolPath(opts.moduleRoot, 'go.mod');
      const diagnostic = diagnosticAt(goMod, 0, 0, text.replace(/^go: /, ''));
      add(diagnostic);
      header = text.endsWith(':') ? diagnostic : undefined;
      continue;
    }

    unparsed.push(line);
    current = undefined;
    header = undefined;
  }

  return { diagnostics, unparsed };
}

function matchPosition(text: string, cwd: string): Position | undefined {
  const match = POSITION.exec(text);
  if (!match) {
    return undefined;
  }
  const [, file, line, column, message] = match;
  return {
    file: resolveToolPath(cwd, file),
    line: Number(line),
    column: column === undefined ? 0 : Number(column),
    message,
  };
}

function diagnosticAt(file: string, line: number, column: number, message: string): Diagnostic {
  return { file, line, column, severity: 'error', message, source: sourceOf(file), related: [] };
}

function sourceOf(file: string): Diagnostic['source'] {
  const name = path.win32.basename(file); // win32 splits on both '/' and '\'
  return name === 'go.mod' || name === 'go.sum' || name === 'go.work' ? 'go.mod' : 'go build';
}


