import type { ConfigProblem, PartialSettings } from './config/settings';
import { resolveSettings } from './config/resolve';
import { Session, type SessionOptions } from './session';

export interface OpenedSession {
  session?: Session;
  /** Configuration problems; a session is only opened when none is an error. */
  problems: ConfigProblem[];
}

/**
 * Resolves the configuration for `root` (defaults, .air.toml, then the front
 * end's layers) and creates a session, without starting it.
 */
export async function openSession(
  root: string,
  layers: PartialSettings[],
  options: SessionOptions & { airTomlPath?: string; /** How each layer is named in problems ("command line"). */ layerSources?: string[] } = {},
): Promise<OpenedSession> {
  const { settings, problems } = await resolveSettings(root, layers, { airTomlPath: options.airTomlPath, layerSources: options.layerSources });
  if (!settings || problems.some((p) => p.severity === 'error')) return { problems };
  return { session: new Session(settings, options), problems };
}
