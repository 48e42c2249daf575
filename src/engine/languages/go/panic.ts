import * as path from 'node:path';
import { isWindowsPath, resolveToolPath } from '../../kernel/paths';
import type { Diagnostic, RelatedLocation } from '../../kernel/diagnostic';

export interface GoPanicContext {
  /** Directory holding go.mod: frames inside it (outside vendor/) are the user's code. */
  moduleRoot: string;
  /** Directory the program ran in; only used for frames whose path is not absolute. */
  cwd: string;
}

/**
 * Finds the last Go crash (`panic: …` or `fatal error: …` followed by a goroutine trace) in a
 * program's recent output and describes it as one diagnostic:
 *
 * - message: the panic line and its continuation lines (multi-line values, the
 *   `[recovered]` chain, the `[signal SIGSEGV …]` line), with go's indent removed;
 * - file/line: the first frame of the crashing goroutine inside `moduleRoot` (not in its
 *   vendor/), else its first frame; column 0, since traces carry none;
 * - related: every frame of that goroutine in order, named by its function
 *   (`main.main`, `created by main.serve in goroutine 1`). Other goroutines are ignored.
 *
 * Returns undefined when there is no crash with a stack trace. This includes `log.Fatal`
 * (it prints the message and exits with status 1, without a trace, so there is no place to
 * point at) and `GOTRACEBACK=none`. `log.Panic` is a real panic and is found.
 */
export function parseGoPanic(output: string, opts: GoPanicContext): Diagnostic | undefined {
  const lines = output.split(/\r?\n/).map((line) => line.trimEnd());
  const starts = lines.flatMap((line, index) => (CRASH_START.test(line) ? [index] : []));
  // The newest crash wins; an earlier start is only used when a later one has no trace
  // (e.g. a log line that happens to begin with "panic: ").
  for (let i = starts.length - 1; i >= 0; i--) {
    const end = i + 1 < starts.length ? starts[i + 1] : lines.length;
    const diagnostic = parseCrash(lines.slice(starts[i], end), opts);
    if (diagnostic) {
      return diagnostic;
    }
  }
  return undefined;
}

/** A crash starts at column 0; chained panics (`\tpanic: …`) are part of the first one. */
const CRASH_START = /^(panic|fatal error): /;

/** `goroutine 1 [running]:`, or with GOTRACEBACK=system `goroutine 1 gp=0xc… m=0 mp=0x… [running]:`. */
const GOROUTINE_HEADER = /^goroutine \d+\b.*\[.*\]:$/;

/** `\t/abs/path/file.go:12 +0x1d`, optionally followed by `fp=… sp=… pc=…`. */
const FRAME_LOCATION = /^\t(.+?):(\d+)(?:\s.*)?$/;

interface Frame {
  function: string;
  file: string;
  line: number;
}

/** Parses one crash; `lines` starts at its `panic:` line and ends before the next crash. */
function parseCrash(lines: string[], opts: GoPanicContext): Diagnostic | undefined {
  const messageEnd = lines.findIndex((line, index) => index > 0 && (line === '' || GOROUTINE_HEADER.test(line)));
  const messageLines = lines.slice(0, messageEnd === -1 ? lines.length : messageEnd);
  const message = messageLines.map((line) => line.replace(/^\t/, '')).join('\n');

  // The first goroutine printed is the one that crashed; this skips the `runtime stack:` of fatal errors.
  const header = lines.findIndex((line) => GOROUTINE_HEADER.test(line));
  if (header === -1) {
    return undefined;
  }
  const frames = parseFrames(lines.slice(header + 1), opts.cwd);
  if (frames.length === 0) {
    return undefined;
  }

  const site = frames.find((frame) => isUserCode(frame.file, opts.moduleRoot)) ?? frames[0];
  const related: RelatedLocation[] = frames.map((frame) => ({
    file: frame.file,
    line: frame.line,
    column: 0,
    message: frame.function,
  }));
  return {
    file: site.file,
    line: site.line,
    column: 0,
    severity: 'error',
    message,
    source: 'panic',
    related,
  };
}

/** Frames of one goroutine: a function line followed by a tab-indented location line, up to a blank line. */
function parseFrames(lines: string[], cwd: string): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i];
    if (line === '' || GOROUTINE_HEADER.test(line)) {
      break;
    }
    const location = FRAME_LOCATION.exec(lines[i + 1]);
    // Lines without a location (`...12 frames elided...`, stray output) are skipped.
    if (line.startsWith('\t') || !location) {
      continue;
    }
    frames.push({ function: functionName(line), file: resolveToolPath(cwd, location[1]), line: Number(location[2]) });
    i++;
  }
  return frames;
}

/** `main.(*T).Serve(0xc000010000, {0x4d30f1, 0x5})` → `main.(*T).Serve`; `created by … in goroutine 1` is kept whole. */
function functionName(line: string): string {
  const call = /^(.+)\(.*\)$/.exec(line);
  return call ? call[1] : line;
}

/** Inside the module and not vendored: GOROOT and the module cache are outside it. */
function isUserCode(file: string, moduleRoot: string): boolean {
  const api = isWindowsPath(moduleRoot) ? path.win32 : path.posix;
  const relative = api.relative(moduleRoot, file);
  if (relative === '' || relative === '..' || relative.startsWith('..' + api.sep) || api.isAbsolute(relative)) {
    return false;
  }
  return relative.split(api.sep)[0] !== 'vendor';
}


