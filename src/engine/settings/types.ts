export type { LanguageId, PartialSettings, Settings, SettingKey, Strategy } from './schema';

/** A problem found while reading configuration: a clear sentence and where it came from. */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  /** e.g. ".air.toml" or "hotReload settings". */
  source: string;
  message: string;
  /** The file the problem is in, absolute, when it is in a file (e.g. the .air.toml). */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** 1-based column in `file`, when known. */
  column?: number;
  /** A shell command that fixes it (for example installing a missing tool), for a front end to offer. */
  fix?: { label: string; command: string };
}
