import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { relativeName } from '../../kernel/paths';
import type { PartialSettings } from '../schema';
import type { ConfigProblem } from '../types';
import { AirDocument } from './airDocument';
import { mapAirDocument } from './mapper';

/**
 * Reads air's configuration file (https://github.com/air-verse/air, `air_example.toml`) into a
 * settings layer, so a project set up for air hot-reloads here unchanged. Which air key feeds which
 * setting is declared in the settings schema (`air` in each row; see docs/settings.md); the keys
 * air has and the conversions are in this folder. Every relative path in the file is relative to
 * air's `root`, as in air. Problems carry the file, and the line and column where known.
 */

export interface AirTomlResult {
  /** The settings layer; paths in it are absolute. */
  settings: PartialSettings;
  problems: ConfigProblem[];
  /** The file read, absolute. */
  file: string;
}

/** The files air reads when not given `-c`, in order. */
const AIR_CONFIG_NAMES: readonly string[] = ['.air.toml', path.join('.config', 'air.toml')];

/** The air config file air itself would read in `root`, or undefined when there is none. */
function findAirToml(root: string): string | undefined {
  for (const name of AIR_CONFIG_NAMES) {
    const file = path.join(root, name);
    try {
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}

/** Reads `<root>/.air.toml` (or `<root>/.config/air.toml`); undefined when there is none. Never throws. */
export function readAirToml(root: string): AirTomlResult | undefined {
  const file = findAirToml(root);
  return file === undefined ? undefined : readAirTomlFile(file, root);
}

/**
 * Reads the file given to air's `-c` flag. `root` is the directory air would run in (relative
 * paths, including the file's own `root` key, are relative to it); by default the file's
 * directory. A file that cannot be read is an error problem. Never throws.
 */
export function readAirTomlFile(file: string, root: string = path.dirname(path.resolve(file))): AirTomlResult {
  const abs = path.resolve(root, file);
  const source = relativeName(root, abs);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `air config file ${abs} does not exist: check the path given to -c`
        : `air config file ${abs} could not be read (${(err as Error).message}): check that it is a readable file`;
    return { settings: {}, problems: [{ severity: 'error', source, message, file: abs }], file: abs };
  }
  return parseAirToml(text, { root, file: abs, source });
}

export interface ParseAirTomlOptions {
  /** The directory air runs in; relative paths are resolved against it. */
  root: string;
  /** The file the text came from, for problems. */
  file?: string;
  /** The problems' source (default ".air.toml"). */
  source?: string;
  /** Which `[build.<os>]` table applies (default: this process's platform). */
  platform?: NodeJS.Platform;
}

/** Maps the text of an air config file. Never throws. */
export function parseAirToml(text: string, opts: ParseAirTomlOptions): AirTomlResult {
  const file = path.resolve(opts.root, opts.file ?? '.air.toml');
  const source = opts.source ?? '.air.toml';
  const problems: ConfigProblem[] = [];

  let doc: Record<string, unknown>;
  try {
    doc = parse(text.replace(/^\uFEFF/, ''), { integersAsBigInt: 'asNeeded' });
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
      problems.push({
        severity: 'error',
        source,
        file,
        line: err.line,
        column: err.column,
        message:
          `${source} is not valid TOML at line ${err.line}, column ${err.column}: ${reason}. ` +
          'Fix the syntax there (strings need matching quotes, arrays look like ["a", "b"], each key once per table), or delete the file to use the defaults.',
      });
    } else {
      problems.push({ severity: 'error', source, file, message: `${source} could not be read as TOML: ${(err as Error).message}` });
    }
    return { settings: {}, problems, file };
  }

  const air = new AirDocument(text, doc, { root: opts.root, file, source, platform: opts.platform ?? process.platform }, problems);
  return { settings: mapAirDocument(air), problems, file };
}

export { airMappingTable } from './mapper';
export { parseGoDuration } from './goDuration';
export { splitCommandLine } from './shellWords';
export { goBuildPackage } from './goBuildCommand';
