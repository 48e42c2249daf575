import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, RelatedLocation } from '../../kernel/diagnostic';
import { isAtOrInside } from '../../kernel/paths';

/** Node's last line after an uncaught exception: `Node.js v20.11.0`. */
const NODE_VERSION_LINE = /^Node\.js v\d+\.\d+\.\d+\s*$/;
/** `    at fn (/abs/file.ts:3:9)`, `    at /abs/file.ts:3:9`, `    at async fn (file:///abs/file.mjs:3:9)`. */
const STACK_LINE = /^\s+at /;
const FRAME = /^\s+at (?:(.+?) \()?((?:file:\/\/)?[^()]+?):(\d+):(\d+)\)?$/;

interface Frame {
  function: string;
  file: string;
  line: number;
  column: number;
}

/**
 * The last uncaught exception in a Node program's output (what Node prints before
 * `Node.js vX.Y.Z` when it dies of one), as a diagnostic: its message at the first stack frame in
 * the program's own sources (not node_modules, not Node's internals), with the frames as related
 * locations. Programs run with --enable-source-maps, so the frames are already at the sources.
 */
export function parseNodeCrash(output: string, packageRoot: string): Diagnostic | undefined {
  const lines = output.split(/\r?\n/).map((line) => line.trimEnd());
  let end = lines.length - 1;
  while (end >= 0 && !NODE_VERSION_LINE.test(lines[end])) end--;
  if (end < 0) return undefined;
  // The report starts after the caret line under the source excerpt (`    ^`), or after a blank line.
  let firstFrame = -1;
  let lastFrame = -1;
  for (let i = end - 1; i >= 0; i--) {
    if (STACK_LINE.test(lines[i])) {
      lastFrame = lastFrame < 0 ? i : lastFrame;
      firstFrame = i;
    } else if (lastFrame >= 0 && lines[i].trim() !== '') break;
  }
  if (firstFrame < 0) return undefined;
  let messageStart = firstFrame;
  while (messageStart > 0 && lines[messageStart - 1].trim() !== '' && !/^\s*\^+\s*$/.test(lines[messageStart - 1])) messageStart--;
  const message = lines.slice(messageStart, firstFrame).join('\n').trim() || 'uncaught exception';
  const frames = lines.slice(firstFrame, lastFrame + 1).flatMap((line) => {
    const match = FRAME.exec(line);
    if (!match) return [];
    const file = match[2].startsWith('file://') ? fileURLToPath(match[2]) : match[2];
    return path.isAbsolute(file) ? [{ function: match[1] ?? '<anonymous>', file, line: Number(match[3]), column: Number(match[4]) }] : [];
  });
  if (frames.length === 0) return undefined;
  const site = frames.find((f) => isUserCode(f, packageRoot)) ?? frames[0];
  const related: RelatedLocation[] = frames.map((f) => ({ file: f.file, line: f.line, column: f.column, message: f.function }));
  return { file: site.file, line: site.line, column: site.column, severity: 'error', message, source: 'exception', related };
}

function isUserCode(frame: Frame, packageRoot: string): boolean {
  return isAtOrInside(packageRoot, frame.file) && !frame.file.split(path.sep).includes('node_modules');
}
