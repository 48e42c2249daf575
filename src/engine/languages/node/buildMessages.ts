import * as path from 'node:path';
import type { Diagnostic } from '../../kernel/diagnostic';
import { plural } from '../../kernel/text';
import type { BuildMessage } from '../../../runtime/node/build/protocol';

/** A bundle that failed: its errors as diagnostics, and the sentence the report gives. */
export function bundleFailure(messages: readonly BuildMessage[], error: string | undefined, entry: string): { diagnostics: Diagnostic[]; message: string } {
  const diagnostics = bundleDiagnostics(
    messages.filter((m) => m.severity === 'error'),
    entry,
  );
  const message = diagnostics.length > 0 ? `build failed: ${plural(diagnostics.length, 'error')}` : `build failed: ${error ?? 'esbuild gave no reason'}`;
  return { diagnostics, message };
}

/** esbuild's messages as diagnostics at their files and lines; its notes are related locations. */
function bundleDiagnostics(messages: readonly BuildMessage[], fallbackFile: string): Diagnostic[] {
  return messages.map((m) => ({
    file: m.file ?? fallbackFile,
    line: m.line ?? 0,
    column: m.column ?? 0,
    severity: m.severity,
    message: m.text,
    source: 'esbuild',
    related: m.notes.filter((n) => n.file).map((n) => ({ file: n.file!, line: n.line ?? 0, column: n.column ?? 0, message: n.text })),
  }));
}

/**
 * Errors in the output of a custom build command for a Node program: TypeScript's
 * (`src/a.ts(3,5): error TS2322: …` and `src/a.ts:3:5 - error TS2322: …`) and esbuild's
 * (`✘ [ERROR] message` followed by `    src/a.ts:3:5:`). Paths are taken relative to `cwd`.
 */
export function parseNodeBuildOutput(output: string, cwd: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const lines = output.split(/\r?\n/);
  const at = (place: { file: string; line: string; column: string }, severity: 'error' | 'warning', message: string): Diagnostic => ({
    file: path.resolve(cwd, place.file),
    line: Number(place.line),
    column: Number(place.column),
    severity,
    message,
    source: 'build command',
    related: [],
  });
  for (let i = 0; i < lines.length; i++) {
    // eslint-disable-next-line no-control-regex
    const line = lines[i].replace(/\x1b\[[0-9;]*m/g, '');
    const tsc = /^(.+?)(?:\((\d+),(\d+)\)|:(\d+):(\d+)) ?[:-] (error|warning) (TS\d+: .*)$/.exec(line);
    if (tsc) {
      diagnostics.push(at({ file: tsc[1], line: tsc[2] ?? tsc[4], column: tsc[3] ?? tsc[5] }, tsc[6] as 'error' | 'warning', tsc[7]));
      continue;
    }
    const esbuild = /^[✘▲X!] \[(ERROR|WARNING)\] (.*)$/.exec(line.trim());
    if (esbuild) {
      const location = lines
        .slice(i + 1, i + 4)
        .map((l) => /^\s+(.+?):(\d+):(\d+):\s*$/.exec(l))
        .find(Boolean);
      if (location) {
        const place = { file: location[1], line: location[2], column: location[3] };
        diagnostics.push(at(place, esbuild[1] === 'ERROR' ? 'error' : 'warning', esbuild[2]));
      }
    }
  }
  return diagnostics;
}
