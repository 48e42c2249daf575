import * as path from 'node:path';
import type { Diagnostic } from '../kernel/diagnostic';

/** What the overlay shows: a title, a sentence, and each error with a link to its line in the editor. */
export interface PageProblem {
  title: string;
  detail?: string;
  items: ProblemItem[];
}

interface ProblemItem {
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
  return `${scheme}://file${encoded}${lineAndColumn(line, column)}`;
}

/** ":12:5", ":12" or nothing, as much as is known (0 is unknown). */
function lineAndColumn(line: number, column: number): string {
  return line > 0 ? `:${line}${column > 0 ? `:${column}` : ''}` : '';
}

/** Where the overlay's locations point: names relative to the project folder, links into the editor. */
interface ProblemLinks {
  root: string;
  editorScheme: string;
}

export function pageProblem(
  { title, detail, diagnostics }: { title: string; detail?: string; diagnostics: readonly Diagnostic[] },
  { root, editorScheme }: ProblemLinks,
): PageProblem {
  const items = diagnostics.slice(0, MAX_ITEMS).map((d) => {
    const relative = path.relative(root, d.file);
    const name = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : d.file;
    return {
      where: `${name}${lineAndColumn(d.line, d.column)}`,
      href: editorLink(editorScheme, d.file, d.line, d.column),
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
