import * as path from 'node:path';
import {
  crashSummaryLine,
  isGoodOutcome,
  reportLine,
  type BuildProgress,
  type ConfigProblem,
  type Diagnostic,
  type EngineEvent,
  type ReloadReport,
} from '../engine';

/** Turns engine events into the CLI's own lines, which stand apart from the program's output. */
export class CliRenderer {
  /** The last progress line printed: a terminal gets one a second, or one on a new phase. */
  private lastProgress: { at: number; phase: string } | undefined;

  constructor(
    private readonly root: string,
    private readonly color: boolean,
  ) {}

  /** The engine's lines for an event, or nothing for events the CLI passes through (program output). */
  render(event: EngineEvent): string[] {
    switch (event.type) {
      case 'reload':
        return [this.reportLine(event.report)];
      case 'diagnostics':
        return event.diagnostics.map((d) => this.diagnosticLine(d));
      case 'log':
        return event.message.split('\n').map((line, i) => this.prefix(event.level) + (i === 0 ? line : `  ${line}`));
      case 'state':
        // A failed build's report already says it all; other states speak when they have news.
        return event.state === 'building' || event.state === 'running' || event.state === 'starting' || event.state === 'failed' || !event.detail
          ? []
          : [this.prefix(event.state === 'idle' || event.state === 'stopped' ? 'info' : 'error') + event.detail];
      case 'crash-summary': {
        // Below the banner of the version serving again, where the crash above it scrolled away.
        const line = crashSummaryLine(event, (l) => `${path.relative(this.root, l.file) || l.file}:${l.line}`);
        return [this.prefix('error') + this.paint(`── ${line}`, '31')];
      }
      case 'output':
        return [];
      case 'progress':
        return this.progressLine(event.progress);
    }
  }

  /** A slow build's progress, a line a second at most; its end says nothing (the reload's report follows). */
  private progressLine(progress: BuildProgress, now = Date.now()): string[] {
    if (progress.phase === 'done') {
      this.lastProgress = undefined;
      return [];
    }
    const last = this.lastProgress;
    if (last && last.phase === progress.phase && now - last.at < 1000) return [];
    this.lastProgress = { at: now, phase: progress.phase };
    return [this.prefix('info') + progress.message];
  }

  problem(problem: ConfigProblem): string {
    return `${this.prefix(problem.severity === 'error' ? 'error' : 'warn')}${problem.source}: ${problem.message}`;
  }

  reportLine(report: ReloadReport): string {
    const line = reportLine(report, this.root, (text, ok) => this.paint(text, ok ? '32' : '31'));
    return this.prefix(isGoodOutcome(report) ? 'info' : 'error') + line;
  }

  diagnosticLine(d: Diagnostic): string {
    const where = `${path.relative(this.root, d.file) || d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}`;
    const related = d.related.slice(0, 5).map((r) => `\n      ${path.relative(this.root, r.file) || r.file}:${r.line} ${r.message}`);
    return `${this.prefix('error')}${this.paint(where, '1')}: ${d.message}${related.join('')}`;
  }

  private prefix(level: 'info' | 'warn' | 'error'): string {
    const code = level === 'error' ? '31' : level === 'warn' ? '33' : '36';
    return this.paint('[hotreload] ', code);
  }

  private paint(text: string, code: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}
