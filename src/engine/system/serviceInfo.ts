/** What a services view shows of one service: its state, version, process and address. */
import type { Service, ServiceState } from './service';
import type { ServiceKind } from './serviceSpec';

export interface ServiceInfo {
  name: string;
  kind: ServiceKind;
  state: ServiceState;
  /** Why it failed or is held, or what its session says. */
  detail?: string;
  version?: number;
  pid?: number;
  url?: string;
  /** A reload is under way. */
  reloading: boolean;
  lastReloadMs?: number;
  errorCount: number;
}

export function serviceInfo(s: Service): ServiceInfo {
  const state = s.session?.lastState;
  return {
    name: s.spec.name,
    kind: s.spec.kind,
    state: s.state,
    detail: s.detail ?? (s.state === 'ready' ? state?.detail : undefined),
    version: s.session?.currentVersion,
    pid: s.session?.currentProgram?.pid ?? s.command?.pid,
    url: s.session?.url ?? (s.port !== undefined ? `http://127.0.0.1:${s.port}/` : undefined),
    // What its last state said: the queue is still busy for a moment after the state says running.
    reloading: state?.state === 'building' || state?.state === 'starting',
    lastReloadMs: state?.lastReloadMs,
    errorCount: s.session?.diagnostics.filter((d) => d.severity === 'error').length ?? 0,
  };
}
