import * as path from 'node:path';
import type { Clock } from '../../kernel/clock';
import type { Builder, Language } from '../../languages';
import type { Settings } from '../../settings/types';
import type { RunStrategy } from '../../strategies/strategy';
import { Speculator } from './speculator';

/**
 * Whether a session builds before the save, and with what: a Speculator, or the reason it cannot
 * (said once, when the editor first sends a buffer).
 */
export function buildBeforeSave(parts: {
  settings: Settings;
  language: Language;
  builder: Builder;
  strategy: RunStrategy;
  /** The executable's file name. */
  name: string;
  /** What builds for the target need on top of the build's environment. */
  env(): Promise<Record<string, string>>;
  clock: Clock;
}): { speculator: Speculator } | { off: string } {
  const { settings, language, builder, strategy } = parts;
  const buffers = language.editorBuffers?.(settings);
  if (!settings.buildBeforeSave) return { off: 'the buildBeforeSave setting is off' };
  if (!buffers) return { off: `${language.name} programs are built from saved files only` };
  if (!builder.overlays) return { off: 'a custom build command cannot build unsaved files' };
  if (settings.preBuildCommands.length > 0) return { off: 'pre-build commands run only for real builds' };
  if (strategy.inPlace) return { off: `the ${strategy.name} strategy builds its own way` };
  return {
    speculator: new Speculator({
      builder,
      buffers,
      dir: path.join(settings.workDir, 'speculative'),
      name: parts.name,
      env: () => parts.env(),
      clock: parts.clock,
    }),
  };
}
