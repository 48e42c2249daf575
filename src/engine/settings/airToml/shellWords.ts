export type SplitCommand = { assignments: [string, string][]; words: string[] } | { unsupported: string };

/**
 * Splits a simple shell command line into leading `NAME=value` assignments and words, with
 * POSIX quoting ('single', "double", backslash). Anything needing a real shell (`;`, `&`, `|`,
 * `<`, `>`, `(`, `)`, backquotes, `$`) gives `{ unsupported }` naming what was found.
 */
export function splitCommandLine(line: string): SplitCommand {
  const words: { text: string; assignable: boolean }[] = [];
  let current: { text: string; assignable: boolean } | undefined;
  const start = () => (current ??= { text: '', assignable: true });
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (/\s/.test(c)) {
      if (current) words.push(current);
      current = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { unsupported: 'an unterminated quote' };
      const w = start();
      if (!w.text.includes('=')) w.assignable = false;
      w.text += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const w = start();
      if (!w.text.includes('=')) w.assignable = false;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '$' || line[j] === '`') return { unsupported: `"${line[j]}" expansion` };
        if (line[j] === '\\' && j + 1 < line.length && '"\\\n'.includes(line[j + 1])) j++;
        w.text += line[j];
      }
      if (j >= line.length) return { unsupported: 'an unterminated quote' };
      i = j;
    } else if (c === '\\') {
      const w = start();
      if (i + 1 < line.length) w.text += line[++i];
    } else if (';&|<>()`$'.includes(c)) {
      return { unsupported: `"${c}"` };
    } else if (c === '#' && !current) {
      break; // a comment
    } else {
      start().text += c;
    }
  }
  if (current) words.push(current);

  const assignments: [string, string][] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(words[i].text);
    if (!m || !words[i].assignable) break;
    assignments.push([m[1], m[2]]);
  }
  return { assignments, words: words.slice(i).map((w) => w.text) };
}
