import type { Session } from '../session/session';
import type { WaitResult } from './messages';

/** What a wait needs of a session (a fake one in the unit tests). */
export type WaitableSession = Pick<
  Session,
  'catchUp' | 'reloading' | 'currentState' | 'currentVersion' | 'currentProgram' | 'lastReport' | 'lastState' | 'diagnostics' | 'versionUp' | 'events' | 'url'
> & { readonly strategy: { readonly name: Session['strategy']['name'] } };

const TIMED_OUT = Symbol('timed out');

/**
 * `hotreload wait`: resolves once what is on disk now serves, or with why it cannot. The session
 * first reads the tree itself (a change whose watcher event has not arrived yet counts, and is
 * built at once); then a reload under way, or one a change just started, is awaited; then the
 * outcome of the last one describes the sources on disk: a running version that is up (listening,
 * or past the crash window) serves them, a failed build or a crash on start is why not. A burst of
 * writes is one answer: the loop reads the tree again after every reload, until nothing is new.
 */
export async function waitForServing(session: WaitableSession, options: { timeoutMs: number; signal?: AbortSignal }): Promise<WaitResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const waitedMs = () => Date.now() - started;
  const timeout = (): WaitResult => {
    const detail = session.lastState?.detail;
    return {
      outcome: 'timeout',
      message: `timed out after ${formatSeconds(options.timeoutMs)}: the session is ${session.currentState}${detail ? ` (${detail})` : ''}`,
      state: session.currentState,
      waitedMs: waitedMs(),
    };
  };
  for (;;) {
    if (options.signal?.aborted) return { outcome: 'stopped', message: 'the wait was cancelled', waitedMs: waitedMs() };
    if ((await beforeDeadline(session.catchUp(), deadline)) === TIMED_OUT) return timeout();
    if (session.reloading) {
      if (!(await nextChange(session, deadline, options.signal))) return timeout();
      continue;
    }
    const verdict = judge(session, waitedMs);
    if (verdict === 'later') {
      if (!(await nextChange(session, deadline, options.signal))) return timeout();
      continue;
    }
    if (verdict !== 'up?') return verdict;
    const up = await beforeDeadline(session.versionUp(), deadline);
    if (up === TIMED_OUT) return timeout();
    // It ended within its crash window (the keeper has said so by now), or a change came meanwhile: look again.
    if (up === 'exited' || session.reloading) continue;
    const served = judge(session, waitedMs);
    if (served !== 'up?') continue;
    return {
      outcome: 'serving',
      version: session.currentVersion ?? session.lastReport?.version ?? 0,
      ...(session.currentProgram ? { pid: session.currentProgram.pid } : {}),
      ...(session.url ? { address: session.url } : {}),
      strategy: session.strategy.name,
      ...(session.lastReport ? { lastReload: session.lastReport } : {}),
      waitedMs: waitedMs(),
    };
  }
}

/**
 * What the session's state says about the sources on disk, once nothing is being reloaded:
 * `up?` (a version runs them: is it up?), `later` (nothing to say yet), or the answer.
 */
function judge(session: WaitableSession, waitedMs: () => number): WaitResult | 'up?' | 'later' {
  const detail = session.lastState?.detail;
  const errors = [...session.diagnostics];
  const serving = session.currentVersion !== undefined ? { version: session.currentVersion } : {};
  switch (session.currentState) {
    case 'stopped':
      return { outcome: 'stopped', message: 'the session was stopped', waitedMs: waitedMs() };
    case 'failed':
      return { outcome: 'build-failed', message: detail ?? session.lastReport?.message ?? 'the build failed', errors, ...serving, waitedMs: waitedMs() };
    case 'crashed':
      return { outcome: 'crashed', message: detail ?? session.lastReport?.message ?? 'the program crashed', errors, ...serving, waitedMs: waitedMs() };
    case 'running': {
      // A version that died on start was replaced by the last good one: that one runs, not what is on disk.
      const last = session.lastReport;
      if (last && (last.outcome === 'rolled-back' || last.outcome === 'crashed'))
        return { outcome: 'crashed', message: last.message ?? detail ?? 'the new version crashed on start', errors, ...serving, waitedMs: waitedMs() };
      return 'up?';
    }
    case 'idle':
      // A program that ran and exited by itself (status 0) ran what is on disk; before the first build nothing did yet.
      return session.lastReport ? 'up?' : 'later';
    default:
      return 'later';
  }
}

/** Resolves true at the session's next state or reload event, false at the deadline or on abort. */
function nextChange(session: WaitableSession, deadline: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (changed: boolean) => {
      clearTimeout(timer);
      listener.dispose();
      signal?.removeEventListener('abort', onAbort);
      resolve(changed);
    };
    const onAbort = () => done(true);
    const timer = setTimeout(() => done(false), Math.max(0, deadline - Date.now()));
    const listener = session.events.on((event) => {
      if (event.type === 'state' || event.type === 'reload') done(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
