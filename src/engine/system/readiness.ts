/**
 * When a service counts as ready, for the services that wait for it: its port accepts, a health
 * path answers, a log line appears, or it is alive past the crash window. Watching begins before
 * the service starts (a log line may come at once) and ends when it is ready, when it can no
 * longer be (it failed to build, crashed, exited), or at the time limit.
 */
import type { Disposable } from '../kernel/disposable';
import { pollUntil, probeHttp, probeTcp } from '../strategies/probes';
import type { Readiness } from './serviceSpec';

export interface ReadySource {
  port: number | undefined;
  ready: Readiness;
  /** The service's output as it comes. */
  onOutput(listener: (text: string) => void): Disposable;
  /** Resolves (with why) once the service cannot become ready any more. */
  failure: Promise<string>;
  /** Resolves once its program runs (for `started`: the crash window counts from then). */
  running: Promise<void>;
  crashWindowMs: number;
}

export type ReadyResult = { ok: true } | { ok: false; why: string };

export function watchReadiness(source: ReadySource, timeoutMs: number): Promise<ReadyResult> {
  let over = false;
  const disposables: Disposable[] = [];
  let timer: NodeJS.Timeout | undefined;
  const ready = readyWhen(source, () => over, disposables).then((): ReadyResult => ({ ok: true }));
  const failed = source.failure.then((why): ReadyResult => ({ ok: false, why }));
  const late = new Promise<ReadyResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `not ready within ${Math.round(timeoutMs / 1000)} s (${describe(source.ready)})` }), timeoutMs);
  });
  return Promise.race([ready, failed, late]).finally(() => {
    over = true;
    clearTimeout(timer);
    for (const d of disposables) d.dispose();
  });
}

async function readyWhen(source: ReadySource, over: () => boolean, disposables: Disposable[]): Promise<void> {
  const { ready, port } = source;
  if (ready.kind === 'log') {
    let seen = '';
    await new Promise<void>((resolve) => {
      disposables.push(
        source.onOutput((text) => {
          // Lines may come in pieces: keep the unfinished tail.
          seen = (seen + text).slice(-8192);
          if (ready.pattern.test(seen)) resolve();
        }),
      );
    });
    return;
  }
  await source.running;
  if (ready.kind === 'started') {
    await new Promise((resolve) => setTimeout(resolve, source.crashWindowMs));
    return;
  }
  if (port === undefined) return;
  const probe = ready.kind === 'http' ? () => probeHttp(port, ready.path) : () => probeTcp(port);
  await pollUntil(probe, over);
}

function describe(ready: Readiness): string {
  switch (ready.kind) {
    case 'listens':
      return 'its port accepting';
    case 'http':
      return `GET ${ready.path} answering`;
    case 'log':
      return `a line matching /${ready.pattern.source}/`;
    case 'started':
      return 'running past the crash window';
  }
}
