import * as fs from 'node:fs';
import { parse } from 'dotenv';
import type { ConfigProblem } from './types';

export interface EnvFilesResult {
  /** The variables of every file that loaded, merged in order: later files win. */
  env: Record<string, string>;
  problems: ConfigProblem[];
}

/**
 * Loads env files (dotenv format: `KEY=value`, `export KEY=value`, quotes, `#` comments) in
 * order and merges them; later files win. Values are taken literally: no `${VAR}` expansion.
 *
 * A missing or unreadable file is an error naming its path; the other files still load.
 * Never throws.
 *
 * @param files absolute paths
 * @param source what named the files, for the problems (e.g. "hotReload.envFiles")
 */
export function loadEnvFiles(files: readonly string[], source = 'envFiles'): EnvFilesResult {
  const env: Record<string, string> = {};
  const problems: ConfigProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const message =
        code === 'ENOENT'
          ? `env file ${file} does not exist: create it, or remove it from the env files setting`
          : code === 'EISDIR'
            ? `env file ${file} is a directory, not a file: name the file itself in the env files setting`
            : `env file ${file} could not be read (${(err as Error).message}): check its permissions`;
      problems.push({ severity: 'error', source, message, file });
      continue;
    }
    Object.assign(env, parse(text.replace(/^\uFEFF/, '')));
  }
  return { env, problems };
}
