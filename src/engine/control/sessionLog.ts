import * as path from 'node:path';
import type { Disposable } from '../kernel/disposable';
import { Emitter } from '../kernel/emitter';
import type { EngineEvent } from '../kernel/events';
import { isGoodOutcome, reportLine } from '../session/report/reportText';
import type { LogEntry, LogsParams, LogsResult } from './messages';

/** What the log keeps at most: the program's output by characters, the reload log by lines. */
export interface LogLimits {
  outputChars: number;
  engineLines: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { outputChars: 1024 * 1024, engineLines: 2000 };

/** Output chunks of one version and stream that follow each other are kept as one entry up to this size. */
const MERGE_CHARS = 8192;

type OutputEntry = Extract<LogEntry, { kind: 'output' }>;
type EngineEntry = Extract<LogEntry, { kind: 'engine' }>;

/**
 * A session's recent history for `hotreload logs`: the program's output, by version, and the
 * reload log (the engine's lines: reports, errors, what it did), each in a bounded ring so a
 * chatty program or a long session never grows the engine's memory. Entries carry one sequence
 * number across both, so they interleave as they happened; followers get each entry as it comes.
 */
export class SessionLog implements Disposable {
  readonly added = new Emitter<LogEntry>();
  private readonly output: OutputEntry[] = [];
  private readonly engine: EngineEntry[] = [];
  private outputChars = 0;
  private droppedOutputChars = 0;
  private droppedEngineLines = 0;
  private seq = 0;
  /** The version serving when an engine line was written, for `sinceVersion`. */
  private version: number | undefined;

  constructor(
    private readonly root: string,
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
  ) {}

  /** Takes an engine event into the log (what the CLI would print). */
  follow(event: EngineEvent): void {
    switch (event.type) {
      case 'output':
        this.addOutput(event.version, event.stream, event.data);
        return;
      case 'log':
        for (const line of event.message.split('\n')) this.addEngine(event.level, line);
        return;
      case 'reload':
        this.version = event.report.version;
        this.addEngine(isGoodOutcome(event.report) ? 'info' : 'error', reportLine(event.report, this.root), event.report.version);
        return;
      case 'diagnostics':
        for (const d of event.diagnostics)
          this.addEngine('error', `${path.relative(this.root, d.file) || d.file}:${d.line}:${d.column}: ${d.message.split('\n')[0]}`);
        return;
      case 'crash-summary':
        this.addEngine(
          'error',
          `v${event.crashed} crashed on start (${event.how})${event.message ? `: ${event.message}` : ''}; v${event.serving} serves again`,
        );
        return;
      case 'state':
        if (event.version !== undefined) this.version = event.version;
        if (event.detail && (event.state === 'crashed' || event.state === 'idle' || event.state === 'stopped'))
          this.addEngine(event.state === 'crashed' ? 'error' : 'info', event.detail);
        return;
      case 'progress':
        return;
    }
  }

  /** The entries a `logs` request asks for, oldest first. */
  read(params: LogsParams = {}): LogsResult {
    let entries: LogEntry[] = mergeBySeq(this.output, this.engine);
    const since = params.sinceVersion;
    if (since !== undefined) {
      // The reload log from the first line about that version on; the output of that version and later.
      const from = entries.find((e) => e.version !== undefined && e.version >= since)?.seq ?? Infinity;
      entries = entries.filter((e) => (e.kind === 'output' ? e.version >= since : e.seq >= from));
    }
    if (params.lines !== undefined) entries = lastLines(entries, params.lines);
    return { entries, droppedOutputBytes: this.droppedOutputChars, droppedEngineLines: this.droppedEngineLines };
  }

  dispose(): void {
    this.added.dispose();
  }

  private addOutput(version: number, stream: 'stdout' | 'stderr', text: string): void {
    if (!text) return;
    const last = this.output[this.output.length - 1];
    if (last && last.seq === this.seq && last.version === version && last.stream === stream && last.text.length + text.length <= MERGE_CHARS) {
      last.text += text;
      this.added.fire({ ...last, text });
    } else {
      const entry: OutputEntry = { seq: ++this.seq, at: Date.now(), kind: 'output', version, stream, text };
      this.output.push(entry);
      this.added.fire(entry);
    }
    this.outputChars += text.length;
    while (this.outputChars > this.limits.outputChars && this.output.length > 0) {
      const dropped = this.output.shift()!;
      this.outputChars -= dropped.text.length;
      this.droppedOutputChars += dropped.text.length;
    }
  }

  private addEngine(level: EngineEntry['level'], text: string, version = this.version): void {
    const entry: EngineEntry = { seq: ++this.seq, at: Date.now(), kind: 'engine', level, text, ...(version !== undefined ? { version } : {}) };
    this.engine.push(entry);
    if (this.engine.length > this.limits.engineLines) {
      this.engine.shift();
      this.droppedEngineLines++;
    }
    this.added.fire(entry);
  }
}

function mergeBySeq(a: readonly LogEntry[], b: readonly LogEntry[]): LogEntry[] {
  const merged: LogEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) merged.push(j >= b.length || (i < a.length && a[i].seq < b[j].seq) ? { ...a[i++] } : { ...b[j++] });
  return merged;
}

/** The entries holding the last `n` lines (an output entry cut at a line boundary). */
function lastLines(entries: LogEntry[], n: number): LogEntry[] {
  const kept: LogEntry[] = [];
  let left = n;
  for (let i = entries.length - 1; i >= 0 && left > 0; i--) {
    const entry = entries[i];
    if (entry.kind === 'engine') {
      kept.push(entry);
      left--;
      continue;
    }
    const lines = entry.text.replace(/\n$/, '').split('\n');
    const take = lines.slice(Math.max(0, lines.length - left));
    left -= take.length;
    kept.push(take.length === lines.length ? entry : { ...entry, text: `${take.join('\n')}${entry.text.endsWith('\n') ? '\n' : ''}` });
  }
  return kept.reverse();
}
