/**
 * The import paths a Go source file names, read from its text without parsing the whole file: the
 * `import "x"` lines and `import ( ... )` blocks (aliases, `_` and `.` included) before the first
 * declaration. A file whose imports cannot be read this way gives what could be read.
 */
export function importsOf(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
  const imports: string[] = [];
  const statement = /\bimport\s*(\(([^)]*)\)|(?:[\w.]+\s+)?("[^"\n]*"|`[^`\n]*`))/g;
  for (let match = statement.exec(text); match; match = statement.exec(text)) {
    if (match[3]) imports.push(match[3].slice(1, -1));
    else for (const spec of match[2].matchAll(/("[^"\n]*"|`[^`\n]*`)/g)) imports.push(spec[1].slice(1, -1));
  }
  return imports;
}
