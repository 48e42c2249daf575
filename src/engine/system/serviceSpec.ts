/**
 * What one service of a system is, as the services file (hotreload.toml) or a Procfile says it:
 * what to run (a Go main package, a Node entry, or a plain command with no build), the folder it
 * runs in, its port, the services it waits for and how it shows it is ready. Every other engine
 * setting it names (strategy, env, args, buildFlags…) is a settings layer of its own session.
 */
import type { PartialSettings } from '../settings/types';

export type ServiceKind = 'go' | 'node' | 'command';

/** How a service shows it serves, for the services that depend on it. */
export type Readiness =
  /** Its port accepts a connection (the default for a service with a port). */
  | { kind: 'listens' }
  /** A GET of this path on its port answers 2xx or 3xx. */
  | { kind: 'http'; path: string }
  /** A line of its output matches. */
  | { kind: 'log'; pattern: RegExp }
  /** It is alive past the crash window (the default for a service with no port). */
  | { kind: 'started' };

export interface ServiceSpec {
  name: string;
  kind: ServiceKind;
  /** The Go package (`./cmd/api`), the Node entry (`src/server.ts`) or the shell command. */
  target: string;
  /** The folder it runs in (its project folder), absolute. */
  dir: string;
  /** A fixed port; 'auto' takes a free one at start; undefined: none. */
  port: number | 'auto' | undefined;
  dependsOn: string[];
  ready: Readiness;
  /** Its other engine settings (strategy, env, args, …), checked as any settings layer is. */
  settings: PartialSettings;
}

/** The name as it appears in environment variables: `api-gw` → `API_GW`. */
export function envName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
