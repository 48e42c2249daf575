/** Escapes the characters picomatch treats specially, so a literal path can be used as a glob. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[\\*?[\]{}()!+@|^$]/g, '\\$&');
}

/**
 * Compiles an `excludeRegex` entry. JavaScript syntax, which agrees with Go's RE2 for the patterns
 * people write (`_test\.go$`, `^gen/`); a leading Go inline flag group such as `(?i)` becomes the
 * matching JavaScript flag. Throws a SyntaxError when the pattern does not compile.
 */
export function compilePathRegex(source: string): RegExp {
  let flags = '';
  let body = source;
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    for (const f of inline[1]) {
      if (f === 'U') throw new SyntaxError(`Invalid regular expression: /${source}/: the (?U) flag is not supported`);
      if (!flags.includes(f)) flags += f;
    }
    body = body.slice(inline[0].length);
  }
  return new RegExp(body, flags);
}
