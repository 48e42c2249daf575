import type { SessionState } from '../kernel/events';
import type { ServiceInfo } from './serviceInfo';

/** A system as one state, for a status bar: its services counted, the changes switched as its version. */
export interface SystemSummary {
  state: SessionState;
  errorCount: number;
  detail: string;
  services: number;
  version: number | undefined;
  url: string | undefined;
}

/** The system's state and how it reads, from its services'. */
export function systemSummary(services: readonly ServiceInfo[], generation: number): SystemSummary {
  const errorCount = services.reduce((sum, s) => sum + s.errorCount, 0);
  const state = summaryState(services, errorCount);
  const detail = services.map((s) => `${s.name} ${s.state === 'ready' && s.version !== undefined ? `v${s.version}` : s.state}`).join(' · ');
  // The page a browser opens: the last service with an address (the front, as services start in dependency order).
  const url = [...services].reverse().find((s) => s.url && s.state === 'ready')?.url;
  return { state, errorCount, detail, services: services.length, version: generation > 0 ? generation : undefined, url };
}

/** Starting or building while any is, failed while any has errors, stopped when all are, else running. */
function summaryState(services: readonly ServiceInfo[], errorCount: number): SessionState {
  if (services.some((s) => s.state === 'starting' || s.state === 'waiting')) return 'starting';
  if (services.some((s) => s.reloading)) return 'building';
  if (errorCount > 0 || services.some((s) => s.state === 'failed')) return 'failed';
  return services.every((s) => s.state === 'stopped') ? 'stopped' : 'running';
}
