import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandHome } from '../../kernel/paths';
import type { AirDocument } from './airDocument';
import { splitCommandLine } from './shellWords';

export interface RunLine {
  /** The file the build command produces (only with a `cmd`): absolute. */
  binary?: string;
  /** Words after the executable, then `args_bin`. */
  args?: string[];
  /** `NAME=value` words before the executable in `full_bin`. */
  env?: Record<string, string>;
}

/**
 * How air would run the built program: `build.bin`, `build.entrypoint` and `build.full_bin` name the
 * executable (the one the build command produces) with arguments and, for `full_bin`, variables;
 * `build.args_bin` adds arguments. A `full_bin` that runs another program (`dlv exec ./tmp/main`) or
 * needs a shell (`&&`, `|`, `$VAR`) cannot be honoured: a warning says so and only its variables count.
 */
export function readRunLine(air: AirDocument): RunLine {
  const cmd = air.pick('cmd', 'string')?.trim();
  const bin = air.pick('bin', 'string')?.trim();
  const entrypointValue = air.pick('entrypoint', 'stringOrStrings');
  const entrypoint = typeof entrypointValue === 'string' ? [entrypointValue] : entrypointValue?.filter((e) => e !== '');
  const fullBin = air.pick('full_bin', 'string')?.trim();
  const argsBin = air.pick('args_bin', 'strings');

  const env: Record<string, string> = {};
  const args: string[] = [];
  let binaryWord: string | undefined;

  let binWords: string[] | undefined;
  if (bin) {
    const split = splitCommandLine(bin);
    if ('words' in split && split.assignments.length === 0 && split.words.length > 0) binWords = split.words;
    else binWords = [bin]; // a path with odd characters: take it whole
  }

  // A Node project's full_bin is its run command (the nodeCommand conversion), not the built binary's line.
  if (fullBin && !air.isNodeProject()) binaryWord = readFullBin(air, fullBin, { binWords, env, args });
  if (binaryWord === undefined && entrypoint && entrypoint.length > 0 && !fullBin) {
    binaryWord = entrypoint[0];
    args.push(...entrypoint.slice(1));
  }
  if (binaryWord === undefined && binWords) {
    binaryWord = binWords[0];
    args.push(...binWords.slice(1));
  }
  if (argsBin !== undefined) args.push(...argsBin);

  const line: RunLine = {};
  if (cmd) {
    let binary = path.resolve(air.airRoot, expandHome(binaryWord ?? path.join('tmp', 'main')));
    if (air.opts.platform === 'win32' && path.extname(binary) === '') binary += '.exe';
    line.binary = binary;
  }
  if (args.length > 0 || argsBin !== undefined) line.args = args;
  if (Object.keys(env).length > 0) line.env = env;
  return line;
}

/** full_bin's variables go to env; its executable, when it is the built binary, is returned and its arguments go to args. */
function readFullBin(
  air: AirDocument,
  fullBin: string,
  into: { binWords: string[] | undefined; env: Record<string, string>; args: string[] },
): string | undefined {
  const { binWords } = into;
  const split = splitCommandLine(fullBin);
  if (!('words' in split)) {
    air.warn(
      'build.full_bin',
      `build.full_bin "${fullBin}" needs a shell (${split.unsupported}), which hot reload does not use to start the program: it runs the built binary directly; put variables in env or an env file, and arguments in args_bin`,
    );
    return undefined;
  }
  for (const [name, value] of split.assignments) into.env[name] = value;
  const [exe, ...rest] = split.words;
  if (exe === undefined) return undefined;
  const otherProgram =
    (binWords !== undefined && !air.samePath(exe, binWords[0])) ||
    (binWords === undefined && !/[/\\]/.test(exe) && !fs.existsSync(path.resolve(air.airRoot, exe)));
  if (otherProgram) {
    air.warn(
      'build.full_bin',
      `build.full_bin runs "${exe}", not the built binary${binWords ? ` (${binWords[0]})` : ''}: hot reload runs the built binary itself, so only the variables set in full_bin are used`,
    );
    return undefined;
  }
  into.args.push(...rest);
  return exe;
}
