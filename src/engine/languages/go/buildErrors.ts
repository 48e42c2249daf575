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
  const scanner = new OutputScan(opts);
  for (const rawLine of output.split(/\r?\n/)) scanner.line(rawLine.trimEnd());
  return { diagnostics: scanner.diagnostics, unparsed: scanner.unparsed };
}

/** Reads go's output line by line; a line either starts a diagnostic, continues one, or is not understood. */
class OutputScan {
  readonly diagnostics: Diagnostic[] = [];
  readonly unparsed: string[] = [];
  /** The diagnostic that tab-indented lines continue. */
  private current: Diagnostic | undefined;
  /**
   * A position-less module line ending in ':' that nothing continued yet, e.g.
   * `go: errors parsing go.mod:`; it only introduces the positioned line that follows.
   */
  private header: Diagnostic | undefined;

  constructor(private readonly opts: GoBuildOutputContext) {}

  line(line: string): void {
    if (line === '') return this.endBlock();
    if (line.startsWith('\t')) return this.continuation(line);
    if (NOISE.some((re) => re.test(line))) {
      if (line.startsWith('# ')) this.current = undefined; // a new package: nothing continues across it
      return;
    }
    // go vet reports type errors as `vet: ./main.go:9:14: …`.
    const text = line.replace(/^vet: /, '');
    const position = matchPosition(text, this.opts.cwd);
    if (position) return this.positioned(position);
    if (this.packagesDisagree(text)) return;
    if (MODULE_PROBLEM.test(text) && ERROR_LINE.test(text)) return this.moduleProblem(text);
    this.unparsed.push(line);
    this.endBlock();
  }

  private endBlock(): void {
    this.current = undefined;
    this.header = undefined;
  }

  private add(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
    this.current = diagnostic;
  }

  private continuation(line: string): void {
    const text = line.replace(/^\t+/, '');
    if (!this.current) {
      this.unparsed.push(line);
      return;
    }
    const related = matchPosition(text, this.opts.cwd);
    if (related) this.current.related.push(related);
    else this.current.message += '\n' + text;
    this.header = undefined;
  }

  private positioned(position: Position): void {
    if (this.header) {
      this.diagnostics.splice(this.diagnostics.indexOf(this.header), 1);
      this.header = undefined;
    }
    // The compiler puts a position on its `too many errors` line too.
    if (position.message === 'too many errors') return;
    const [, gccKind, gccMessage] = GCC_KIND.exec(position.message) ?? [];
    if (gccKind === 'note') {
      this.current?.related.push({ ...position, message: gccMessage });
      return;
    }
    const diagnostic = diagnosticAt(position.file, position.line, position.column, gccMessage ?? position.message);
    if (gccKind === 'warning') diagnostic.severity = 'warning';
    this.add(diagnostic);
  }

  /** Either file may be the wrong one, so both get the message. */
  private packagesDisagree(text: string): boolean {
    const packages = FOUND_PACKAGES.exec(text);
    if (!packages) return false;
    const [, first, second, dir] = packages;
    for (const name of [first, second]) this.add(diagnosticAt(resolveToolPath(dir, name), 0, 0, text));
    return true;
  }

  private moduleProblem(text: string): void {
    const goMod = resolveToolPath(this.opts.moduleRoot, 'go.mod');
    const diagnostic = diagnosticAt(goMod, 0, 0, text.replace(/^go: /, ''));
    this.add(diagnostic);
    this.header = text.endsWith(':') ? diagnostic : undefined;
  }
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


