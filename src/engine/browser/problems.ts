import * as path from 'node:path';
import type { Diagnostic } from '../kernel/diagnostic';

/** What the overlay shows: a title, a sentence, and each error with a link to its line in the editor. */
export interface PageProblem {
  title: string;
  detail?: string;
  items: ProblemItem[];
}

export interface ProblemItem {
  /** "main.go:12:5", relative to the project folder. */
  where: string;
  /** Opens the file at the line in the editor (vscode://file/…). */
  href: string;
  message: string;
}

/** Enough to read on a page; the Problems panel and the log have the rest. */
const MAX_ITEMS = 20;
const MAX_MESSAGE = 4000;

/** An editor link to a file's line and column, as VS Code's URL handler takes it. */
export function editorLink(scheme: string, file: string, line: number, column: number): string {
  const slashed = file.split(path.sep).join('/');
  const encoded = encodeURI(slashed.startsWith('/') ? slashed : `/${slashed}`).replace(/[?#]/g, (c) => encodeURIComponent(c));
  return `${scheme}://file${encoded}${line > 0 ? `:${line}${column > 0 ? `:${column}` : ''}` : ''}`;
}

export function pageProblem(title: string, detail: string | undefined, diagnostics: readonly Diagnostic[], root: string, scheme: string): PageProblem {
  const items = diagnostics.slice(0, MAX_ITEMS).map((d) => {
    const relative = path.relative(root, d.file);
    const name = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : d.file;
    return {
      where: `${name}${d.line > 0 ? `:${d.line}${d.column > 0 ? `:${d.column}` : ''}` : ''}`,
      href: editorLink(scheme, d.file, d.line, d.column),
      message: d.message.length > MAX_MESSAGE ? `${d.message.slice(0, MAX_MESSAGE)}…` : d.message,
    };
  });
  const more = diagnostics.length - items.length;
  return { title, detail: more > 0 ? [detail, `${more} more in the Problems panel`].filter(Boolean).join('; ') : detail, items };
}

/** The overlay's title for the current diagnostics: a build that failed, or a version that crashed. */
export function problemTitle(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.some((d) => d.source === 'panic') ? 'The program crashed' : 'Build failed';
}
