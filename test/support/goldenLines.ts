/**
 * The golden transcripts of the wire protocols (test/fixtures/protocol/<protocol>/*.jsonl), written
 * by the Go side's tests: one JSON message per line, as it went over the wire.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROTOCOL_FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'protocol');

export interface GoldenLine {
  /** "hello.jsonl:3", for messages. */
  where: string;
  text: string;
  value: Record<string, unknown>;
}

/** Every line of every .jsonl file of a protocol's folder (except those named in `except`). */
export function goldenLines(protocol: string, except: readonly string[] = []): GoldenLine[] {
  const dir = path.join(PROTOCOL_FIXTURES, protocol);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && !except.includes(f))
    .sort();
  if (files.length === 0) throw new Error(`no golden files in ${dir}`);
  return files.flatMap((file) =>
    fs
      .readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .filter((text) => text !== '')
      .map((text, i) => ({ where: `${protocol}/${file}:${i + 1}`, text, value: JSON.parse(text) as Record<string, unknown> })),
  );
}
