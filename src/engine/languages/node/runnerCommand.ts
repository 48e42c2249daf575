import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitCommandLine } from '../../settings/airToml/shellWords';
import { readScripts } from './project';

/** The run command, ready to start: an executable and its words, or a script for `sh -c`. */
export type RunnerLine = { words: string[]; env: Record<string, string>; script?: string } | { problem: string };

/** Package managers whose `run <script>` (and `start`) Hot Reload runs itself, so no package manager sits between it and the program. */
const MANAGERS = new Set(['npm', 'pnpm', 'yarn']);
/** Scripts that only build (or clean before a build): Hot Reload builds instead. */
const BUILD_SCRIPT = /^(?:build|clean|compile|tsc)(?:$|[:-])/;
/** Commands of theirs that are not a script name (`yarn <script>` runs a script, `yarn install` does not). */
const NOT_SCRIPTS = new Set(['install', 'i', 'add', 'ci', 'exec', 'dlx', 'x', 'create', 'init', 'test', 'publish']);

/**
 * Reads the `command` setting: a simple command line (no shell: quoting and `NAME=value` words
 * only), or a package.json script run the way its package manager would (`npm run dev`, `npm
 * start`, `pnpm dev`, `yarn dev`). The script's own line is run directly when it is simple, so
 * the program is Hot Reload's child (the handoff socket and the notify descriptor reach it, and
 * signals stop it), and through `sh -c` otherwise.
 */
export function readRunnerLine(command: string, packageRoot: string): RunnerLine {
  const split = splitCommandLine(command);
  if (!('words' in split))
    return {
      problem: `the command "${command}" needs a shell (${split.unsupported}): put it in a package.json script and set command to \`npm run <script>\``,
    };
  const env = Object.fromEntries(split.assignments);
  const [first, ...rest] = split.words;
  if (first === undefined) return { problem: 'the command is empty: set it to the command that runs your program, for example `node dist/main.js`' };
  const script = MANAGERS.has(first) ? scriptName(rest) : undefined;
  if (script === undefined) return { words: split.words, env };
  const scripts = readScripts(packageRoot);
  const line = scripts[script.name];
  if (line === undefined) {
    const known = Object.keys(scripts);
    return { problem: `package.json has no script "${script.name}"${known.length ? ` (it has ${known.join(', ')})` : ''}` };
  }
  const runLine = withoutBuildSteps(line);
  const inner = splitCommandLine(runLine);
  if ('words' in inner && inner.words.length > 0)
    return { words: [...inner.words, ...script.args], env: { ...env, ...Object.fromEntries(inner.assignments) }, script: script.name };
  return { words: ['sh', '-c', [runLine, ...script.args.map(shellQuote)].join(' ')], env, script: script.name };
}

/**
 * A script that builds before it runs (`npm run build:ts && fastify start dist/app.js`, `tsc &&
 * node dist/main.js`) runs only its last step: Hot Reload builds the program itself.
 */
export function withoutBuildSteps(line: string): string {
  const steps = line.split('&&').map((s) => s.trim());
  if (steps.length < 2) return line;
  const isBuild = (step: string): boolean => {
    const split = splitCommandLine(step);
    if (!('words' in split)) return false;
    const [first, ...rest] = split.words;
    if (first === 'tsc' || first === 'rimraf' || (first === 'nest' && rest[0] === 'build')) return true;
    const script = first !== undefined && MANAGERS.has(first) ? scriptName(rest) : undefined;
    return script !== undefined && BUILD_SCRIPT.test(script.name);
  };
  return steps.slice(0, -1).every(isBuild) ? steps[steps.length - 1] : line;
}

/** `run dev -- --port 3000` → dev with [--port, 3000]; `start` → start; `dev` (pnpm, yarn) → dev. */
function scriptName(words: string[]): { name: string; args: string[] } | undefined {
  let [verb, ...rest] = words;
  if (verb === 'run' || verb === 'run-script') [verb, ...rest] = rest;
  if (verb === undefined || verb.startsWith('-') || NOT_SCRIPTS.has(verb)) return undefined;
  return { name: verb, args: rest[0] === '--' ? rest.slice(1) : rest };
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Whether the command runs TypeScript sources itself (`tsx src/app.ts`, `ts-node src/main.ts`,
 * `node --experimental-strip-types src/server.ts`): a word names an existing TypeScript file.
 * Such a runner compiles, so nothing is built for it.
 */
export function compilesItself(words: readonly string[], cwd: string): boolean {
  return words.some((w) => /\.(?:[cm]?ts|tsx)$/.test(w) && !/\.d\.[cm]?ts$/.test(w) && fs.existsSync(path.resolve(cwd, w)));
}

/** The `node_modules/.bin` folders from `dir` up (what `npm run` puts on PATH), then PATH. */
export function pathWithBins(dir: string, pathVar = process.env.PATH ?? ''): string {
  const bins: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const bin = path.join(d, 'node_modules', '.bin');
    if (fs.existsSync(bin)) bins.push(bin);
    if (path.dirname(d) === d) break;
  }
  return [...bins, ...(pathVar ? [pathVar] : [])].join(path.delimiter);
}

/** NODE_OPTIONS with `options` first and the user's own after (a word with spaces quoted, as Node reads it). */
export function nodeOptions(options: readonly string[], existing = process.env.NODE_OPTIONS ?? ''): string {
  const quoted = options.map((o) => (/[\s"\\]/.test(o) ? `"${o.replace(/["\\]/g, '\\$&')}"` : o));
  return [...quoted, ...(existing.trim() ? [existing.trim()] : [])].join(' ');
}
