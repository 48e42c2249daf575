import type { ConfigProblem, PartialSettings } from '../settings/types';
import { resolveSettings, type ResolveOptions } from './resolveSettings';
import { Session, type SessionOptions } from './session';

export interface OpenedSession {
  session?: Session;
  /** Configuration problems; a session is only opened when none is an error. */
  problems: ConfigProblem[];
}

/**
 * Resolves the configuration for `root` (defaults, .air.toml, then the front end's layers), finds
 * the target's language and creates a session, without starting it.
 */
export async function openSession(
  root: string,
  layers: PartialSettings[],
  options: SessionOptions & Pick<ResolveOptions, 'airTomlPath' | 'layerSources'> = {},
): Promise<OpenedSession> {
  const { settings, language, problems } = await resolveSettings(root, layers, { airTomlPath: options.airTomlPath, layerSources: options.layerSources });
  if (!settings || !language || problems.some((p) => p.severity === 'error')) return { problems };
  return { session: new Session(settings, { language }, options), problems };
}
