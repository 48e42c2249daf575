/** The first `count` lines of a tool's output, for a message. */
export function firstLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(0, count).join('\n');
}

/** The first lines of a tool's output on one line, at most `maxLength` characters. */
export function oneLine(text: string, count = 3, maxLength = 300): string {
  return firstLines(text, count).split('\n').join(' ').slice(0, maxLength);
}

/** 10000 → "10 s", 1500 → "1500 ms". */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** "1 error", "3 errors". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** ["a"] → "a", ["a", "b"] → "a or b", ["a", "b", "c"] → "a, b or c" (with `and` for "and"). */
export function alternatives(items: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
