/** 1-based line and column of every `key =` in TOML text, by full dotted path ("build.cmd"). Best effort. */
export function locateKeys(text: string): Map<string, { line: number; column: number }> {
  const found = new Map<string, { line: number; column: number }>();
  let table = '';
  const lines = text.split(/\r?\n/);
  let inMultiline: string | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (inMultiline) {
      if (line.includes(inMultiline)) inMultiline = undefined;
      continue;
    }
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      table = dottedKey(header[1]);
      if (!found.has(table)) found.set(table, { line: n + 1, column: line.indexOf('[') + 1 });
      continue;
    }
    const kv = /^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=(.*)$/.exec(line);
    if (!kv) continue;
    const key = dottedKey(kv[2]);
    const full = table === '' ? key : `${table}.${key}`;
    if (!found.has(full)) found.set(full, { line: n + 1, column: kv[1].length + 1 });
    for (const quote of ['"""', "'''"]) {
      const rest = kv[3];
      const first = rest.indexOf(quote);
      if (first >= 0 && rest.indexOf(quote, first + 3) < 0) inMultiline = quote;
    }
  }
  return found;
}

function dottedKey(raw: string): string {
  return raw
    .split(/\s*\.\s*(?=(?:[^"']|"[^"]*"|'[^']*')*$)/)
    .map((part) => part.trim().replace(/^["'](.*)["']$/, '$1'))
    .join('.');
}
