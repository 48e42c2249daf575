import * as path from 'node:path';
import { normalizeSignal } from '../kernel/exits';
import { compilePathRegex } from '../kernel/pathPatterns';
import { directoryProblem, expandHome, isInside } from '../kernel/paths';
import { loadEnvFiles } from './envFile';
import { defaultWorkDir } from './workDir';
import { parseListenAddress } from './listenAddress';
import { SCHEMA, SETTING_KEYS, type CliFlag, type SettingKey, type Settings } from './schema';
import { targetProblems } from './targets';
import type { ConfigProblem } from './types';

/**
 * Makes every path in merged settings absolute (against the final root, `~/` expanded) and tidies
 * the extension list. Root itself is resolved against `base`, the folder the front end opened.
 */
export function resolvePaths(s: Settings, base: string, explicit: ReadonlySet<SettingKey>): void {
  s.root = path.resolve(base, s.root);
  for (const key of ['cwd', 'workDir'] as const) s[key] = path.resolve(s.root, expandHome(s[key]));
  // The default work dir belongs to the final root (air's `root` may have moved it).
  if (!explicit.has('workDir')) s.workDir = defaultWorkDir(s.root);
  if (explicit.has('moduleRoot')) s.moduleRoot = path.resolve(s.root, expandHome(s.moduleRoot));
  if (s.binary) s.binary = path.resolve(s.root, expandHome(s.binary));
  if (s.entry) s.entry = path.resolve(s.root, expandHome(s.entry));
  s.envFiles = s.envFiles.map((f) => path.resolve(s.root, expandHome(f)));
  s.alsoWatch = [...new Set(s.alsoWatch.map((d) => path.resolve(s.root, expandHome(d))))];
  const cleaned = s.extensions.map((e) => e.trim().replace(/^\*?\./, '')).filter((e) => e !== '');
  s.extensions = cleaned.includes('*') ? [] : [...new Set(cleaned)];
}

/**
 * Checks what the schema says each value may be (numbers, enumerations), and the values with
 * rules of their own (root, cwd, work dir, signal, regexes, env files, address, health path,
 * the place the program runs (targets.ts), build command). `sourceOf` names the layer that set a key, for the problems.
 */
export function validateSettings(s: Settings, sourceOf: (key: SettingKey) => string): { problems: ConfigProblem[]; rootMissing: boolean } {
  const problems: ConfigProblem[] = [];
  const error = (key: SettingKey, message: string): void => {
    problems.push({ severity: 'error', source: sourceOf(key), message });
  };

  const rootProblem = directoryProblem(s.root);
  if (rootProblem) {
    error('root', `root ${s.root} ${rootProblem}: open a folder that exists`);
    return { problems, rootMissing: true };
  }
  const cwdProblem = directoryProblem(s.cwd);
  if (cwdProblem) error('cwd', `the working directory (cwd) ${s.cwd} ${cwdProblem}: create it or change the cwd setting`);
  if (s.workDir === s.root || isInside(s.workDir, s.root))
    error('workDir', `the work dir ${s.workDir} must be a directory of its own inside or beside root, not root or above it`);

  const signal = normalizeSignal(s.stopSignal);
  if (signal) s.stopSignal = signal;
  else error('stopSignal', `stopSignal "${s.stopSignal}" is not a signal name: use e.g. "SIGTERM", "SIGINT" or "SIGQUIT"`);

  for (const key of SETTING_KEYS) {
    const spec = SCHEMA[key];
    const value = s[key] as unknown;
    if ((spec.kind === 'number' || spec.kind === 'optionalNumber') && value !== undefined)
      problems.push(...checkNumber(key, value as number, spec, sourceOf(key)));
    if (spec.kind === 'enum' && key !== 'stopSignal' && !spec.values?.includes(value as string))
      error(key, `${key} "${String(value)}" is not one of ${spec.values?.join(', ')}`);
  }

  if (s.listenAddress !== undefined) {
    const parsed = parseListenAddress(s.listenAddress);
    if (typeof parsed === 'string') error('listenAddress', parsed);
  }
  if (s.debugAddress !== undefined) {
    const parsed = parseListenAddress(s.debugAddress);
    if (typeof parsed === 'string') error('debugAddress', parsed.replace(/^listenAddress/, 'debugAddress'));
  }
  if (s.healthPath !== undefined && !s.healthPath.startsWith('/'))
    error('healthPath', `healthPath must be a path starting with "/" (e.g. "/healthz"); got ${JSON.stringify(s.healthPath)}`);
  for (const source of s.excludeRegex) {
    try {
      compilePathRegex(source);
    } catch (err) {
      error('excludeRegex', `excludeRegex ${JSON.stringify(source)} is not a valid regular expression (${(err as Error).message}): fix or remove it`);
    }
  }
  problems.push(...loadEnvFiles(s.envFiles, sourceOf('envFiles')).problems);
  for (const { key, message } of targetProblems(s, cliName)) error(key, message);
  if (s.buildCommand && !s.binary)
    error('buildCommand', 'a build command is set but not the binary it produces: set binary (air: build.bin) to the file the command writes');
  return { problems, rootMissing: false };
}

/** A setting as the command line names it ("--docker"), or its key when it has no flag. */
function cliName(key: SettingKey): string {
  const cli: CliFlag | readonly CliFlag[] | undefined = SCHEMA[key].cli;
  const first = cli === undefined ? undefined : 'flag' in cli ? cli : cli[0];
  return first ? `--${first.flag}` : key;
}

function checkNumber(key: SettingKey, value: number, spec: (typeof SCHEMA)[SettingKey], source: string): ConfigProblem[] {
  const fail = (message: string): ConfigProblem[] => [{ severity: 'error', source, message }];
  if (spec.maximum === 65535) {
    if (!Number.isInteger(value) || value < 1 || value > 65535) return fail(`${key} must be a port number from 1 to 65535; got ${value}`);
    return [];
  }
  if (key.endsWith('Ms')) {
    if (!Number.isFinite(value) || value < (spec.minimum ?? 0))
      return fail(`${key} must be a number of milliseconds, ${spec.minimum ?? 0} or more; got ${value}`);
    return [];
  }
  if (!Number.isFinite(value) || (spec.minimum !== undefined && value < spec.minimum) || (spec.integer && !Number.isInteger(value)))
    return fail(`${key} must be ${spec.integer ? 'a whole number' : 'a number'}${spec.minimum !== undefined ? `, ${spec.minimum} or more` : ''}; got ${value}`);
  return [];
}
