/**
 * The control endpoint's golden transcripts (test/fixtures/protocol/control/*.jsonl): one message a
 * line, `{"client": …}` or `{"server": …}`, in the order they crossed the socket. The endpoint's
 * test writes them from fake sessions (HR_UPDATE_GOLDEN=1) and checks it still says the same; the
 * client's test plays the server's side back to the real client and the CLI. What differs from
 * run to run (pids, paths, tokens, times) is written as a placeholder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './examples';

export type TranscriptLine = { client: Record<string, unknown> } | { server: Record<string, unknown> };

export const GOLDEN_DIR = path.join(repoRoot, 'test', 'fixtures', 'protocol', 'control');

export const updating = process.env.HR_UPDATE_GOLDEN === '1';

export function readTranscript(name: string): TranscriptLine[] {
  return fs
    .readFileSync(path.join(GOLDEN_DIR, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TranscriptLine);
}

export function writeTranscript(name: string, lines: TranscriptLine[]): void {
  fs.mkdirSync(GOLDEN_DIR, { recursive: true });
  fs.writeFileSync(path.join(GOLDEN_DIR, `${name}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

/** Numbers that are times or process ids: 0 in the goldens. */
const VOLATILE_NUMBERS = new Set(['pid', 'at', 'finishedAt', 'startedAt', 'waitedMs', 'detectMs', 'buildMs', 'stopMs', 'startMs', 'totalMs']);

/** A message with its run-specific values replaced: `root` → "<root>", the token → "<token>", times and pids → 0. */
export function normalize(value: unknown, root: string, token: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, root, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'number' && VOLATILE_NUMBERS.has(k) ? 0 : normalize(v, root, token)]));
  }
  if (typeof value === 'string') {
    return value
      .split(root)
      .join('<root>')
      .split(token)
      .join('<token>')
      .replace(/\b\d+ ms\b/g, 'N ms')
      .replace(/\b(detect|build|stop|start|pid) \d+/g, '$1 N');
  }
  return value;
}

/** The reverse for what a client is sent: placeholders become this run's values. */
export function instantiate(value: unknown, values: { root: string; token: string; pid: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => instantiate(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'pid' && v === 0 ? values.pid : instantiate(v, values)]));
  }
  if (typeof value === 'string') return value.split('<root>').join(values.root).split('<token>').join(values.token);
  return value;
}
