import * as path from 'node:path';
import type { CrashSummaryEvent, ReloadReport } from '../../kernel/events';

/**
 * One reload as one line, the same in the terminal and in the editor's log:
 * outcome, phase timings, changed files with +/- line counts, and why.
 */
export function reportLine(report: ReloadReport, root: string, paint: (text: string, ok: boolean) => string = (t) => t): string {
  const p = report.phases;
  const ok = isGoodOutcome(report);
  const head = `v${report.version} ${report.outcome}`;
  const build = report.unchangedSources
    ? 'no build: sources unchanged'
    : report.builtBeforeSave
      ? `build ${p.buildMs}, made before the save`
      : `build ${p.buildMs}`;
  const timing = `${p.totalMs} ms (detect ${p.detectMs} · ${build} · stop ${p.stopMs} · start ${p.startMs})`;
  const files = report.changedFiles.map((f) => {
    const name = path.relative(root, f.path) || f.path;
    const counts = f.added !== undefined || f.removed !== undefined ? ` +${f.added ?? 0}/-${f.removed ?? 0}` : '';
    return `${name}${f.kind === 'delete' ? ' (deleted)' : f.kind === 'create' ? ' (new)' : ''}${counts}`;
  });
  const shown = files.length > 5 ? [...files.slice(0, 5), `+${files.length - 5} more`] : files;
  const parts = [paint(head, ok), `${report.trigger}`, timing];
  if (report.pid !== undefined && ok) parts.push(`pid ${report.pid}`);
  if (shown.length > 0) parts.push(shown.join(', '));
  if (report.message) parts.push(report.message);
  return parts.join(' · ');
}

export function isGoodOutcome(report: ReloadReport): boolean {
  return report.outcome !== 'build-failed' && report.outcome !== 'crashed' && report.outcome !== 'rolled-back';
}

/**
 * A crash on start and the rollback after it, as one line: `where` writes the crash site (an
 * absolute path the editor's terminal links, a path relative to the project in the CLI).
 */
export function crashSummaryLine(event: CrashSummaryEvent, where: (location: NonNullable<CrashSummaryEvent['location']>) => string): string {
  const at = event.location ? ` · ${where(event.location)}` : '';
  return `v${event.crashed} crashed on start (${event.how})${event.message ? `: ${event.message}` : ''}${at} · v${event.serving} serves again`;
}
