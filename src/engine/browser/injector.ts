import { Transform, type TransformCallback } from 'node:stream';

/** How far into a document the place for the script is looked for; past it the page passes untouched. */
export const SCAN_LIMIT = 64 * 1024;

const BOM = '\xEF\xBB\xBF'; // UTF-8's byte order mark, read as latin1

/**
 * Where the script goes in a document that starts with `text` (latin1, so indexes are byte
 * offsets): right after `<head …>`, or else before the first thing that is not the prologue (a
 * doctype, comments, `<html …>`, white space), which is where the parser opens head or body by
 * itself. Only the prologue is ever read, so a `</body>` in a script string cannot fool it.
 * Undefined: the answer needs more bytes (`ended` false).
 */
export function injectionPoint(text: string, ended: boolean): number | undefined {
  const more = (at: number) => (ended ? at : undefined);
  if (text.length < BOM.length && BOM.startsWith(text)) return more(0);
  let i = text.startsWith(BOM) ? BOM.length : 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) {
      i++;
      continue;
    }
    if (c !== 0x3c) return i; // text: the body starts here
    if (text.length - i < 4) return more(i); // "<!-" or "<he": too short to tell
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return more(i);
      i = end + 3;
      continue;
    }
    const next = text[i + 1];
    if (next === '!' || next === '?') {
      const end = text.indexOf('>', i + 2);
      if (end < 0) return more(i);
      i = end + 1;
      continue;
    }
    TAG_NAME.lastIndex = i + 1;
    const name = TAG_NAME.exec(text)?.[0];
    if (name === undefined) return i; // "</x>", "< ": not the prologue
    if (i + 1 + name.length >= text.length) return more(i);
    const lower = name.toLowerCase();
    if (lower !== 'html' && lower !== 'head') return i;
    const end = tagEnd(text, i + 1 + name.length);
    if (end === undefined) return more(i);
    if (lower === 'head') return end;
    i = end;
  }
  return more(text.length);
}

const TAG_NAME = /[A-Za-z][A-Za-z0-9:-]*/y;

/** The index just past the `>` that closes a tag, quotes respected. */
function tagEnd(text: string, from: number): number | undefined {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return j + 1;
  }
  return undefined;
}

/**
 * Inserts `tag` into a streamed HTML document at `injectionPoint`. Only the first bytes (the
 * prologue, at most SCAN_LIMIT) are held while the place is found; everything after passes as it
 * comes, so a streamed page streams. Memory stays bounded by the limit.
 */
export class ScriptInjector extends Transform {
  private held: Buffer | undefined;
  private done = false;

  constructor(private readonly tag: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.done) return callback(null, chunk);
    this.held = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    this.place(false);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.done) this.place(true);
    callback();
  }

  private place(ended: boolean): void {
    const held = this.held ?? Buffer.alloc(0);
    // Past the limit the place is decided with what was read: everything before it is prologue.
    const at = injectionPoint(held.toString('latin1', 0, Math.min(held.length, SCAN_LIMIT)), ended || held.length > SCAN_LIMIT);
    if (at === undefined) return;
    this.done = true;
    this.held = undefined;
    // One chunk: one write to the client, not three small ones.
    this.push(Buffer.concat([held.subarray(0, at), this.tag, held.subarray(at)]));
  }
}
