import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { PartialSettings, Strategy } from '../engine/config/settings';

export interface CliOptions {
  root: string;
  layer: PartialSettings;
  airTomlPath?: string;
  color: boolean;
  json: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: hotreload [options] [-- program arguments]

Builds and runs the Go program in the current module, and rebuilds and
restarts it on every saved change. Reads .air.toml when present.

Options:
  -C, --dir <dir>          project folder (default: current directory)
  -p, --package <pkg>      main package to build, e.g. ./cmd/server
      --build <command>    custom build command (with --bin), e.g. "make build"
      --bin <file>         the file the custom build command produces
      --build-flag <flag>  extra go build flag (repeatable), e.g. --build-flag=-race
      --env KEY=VALUE      environment for the program (repeatable)
      --env-file <file>    dotenv file for the program (repeatable)
      --cwd <dir>          working directory of the program
      --include <glob>     only changes matching this count (repeatable)
      --exclude <glob>     changes matching this never count (repeatable)
      --ext <list>         extensions that count, e.g. go,mod,sum,html
      --signal <name>      stop signal (default SIGTERM)
      --grace <ms>         wait this long after the stop signal before SIGKILL (default 5000)
      --debounce <ms>      extra quiet time after a burst of changes (default 10)
      --strategy <name>    auto (default: handoff for programs using go/hotreload, else restart),
                           restart, handoff, proxy or patch
      --poll [ms]          poll for changes (network drives, containers)
      --rerun              start the program again when it exits by itself
  -c, --config <file>      an air config file (default: .air.toml if present)
      --json               print engine events as JSON lines (for scripts)
      --no-color           no colours
  -h, --help               this help
  -v, --version            the version
`;

/** Turns command-line arguments into a settings layer; throws with a clear message on bad input. */
export function parseCliArgs(argv: string[], cwd: string, isTTY: boolean): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      dir: { type: 'string', short: 'C' },
      package: { type: 'string', short: 'p' },
      build: { type: 'string' },
      bin: { type: 'string' },
      'build-flag': { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      'env-file': { type: 'string', multiple: true },
      cwd: { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      ext: { type: 'string' },
      signal: { type: 'string' },
      grace: { type: 'string' },
      debounce: { type: 'string' },
      strategy: { type: 'string' },
      poll: { type: 'boolean' },
      'poll-interval': { type: 'string' },
      rerun: { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const root = path.resolve(cwd, values.dir ?? '.');
  const layer: PartialSettings = {};
  if (values.package !== undefined) layer.package = values.package;
  if (values.build !== undefined) layer.buildCommand = values.build;
  if (values.bin !== undefined) layer.binary = path.resolve(root, values.bin);
  if (values['build-flag']) layer.buildFlags = values['build-flag'];
  if (values.env) layer.env = Object.fromEntries(values.env.map(parseAssignment));
  if (values['env-file']) layer.envFiles = values['env-file'].map((f) => path.resolve(root, f));
  if (values.cwd !== undefined) layer.cwd = path.resolve(root, values.cwd);
  if (values.include) layer.include = values.include;
  if (values.exclude) layer.exclude = values.exclude;
  if (values.ext !== undefined) layer.extensions = values.ext.split(',').map((e) => e.trim().replace(/^\./, '')).filter(Boolean);
  if (values.signal !== undefined) layer.stopSignal = normalizeSignal(values.signal);
  if (values.grace !== undefined) layer.gracePeriodMs = parseMs('--grace', values.grace);
  if (values.debounce !== undefined) layer.debounceMs = parseMs('--debounce', values.debounce);
  if (values.strategy !== undefined) layer.strategy = values.strategy as Strategy | 'auto';
  if (values.poll) layer.watcher = 'polling';
  if (values['poll-interval'] !== undefined) layer.pollIntervalMs = parseMs('--poll-interval', values['poll-interval']);
  if (values.rerun) layer.rerun = true;
  if (positionals.length > 0) layer.args = positionals;
  return {
    root,
    layer,
    airTomlPath: values.config !== undefined ? path.resolve(cwd, values.config) : undefined,
    color: !values['no-color'] && isTTY && !process.env.NO_COLOR,
    json: values.json ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

function parseAssignment(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--env takes KEY=VALUE, got "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function normalizeSignal(name: string): NodeJS.Signals {
  const upper = name.toUpperCase();
  return (upper.startsWith('SIG') ? upper : `SIG${upper}`) as NodeJS.Signals;
}

/** "500", "500ms", "2s", "1.5s" → milliseconds. */
export function parseMs(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!match) throw new Error(`${flag} takes a duration such as 500, 500ms or 2s, got "${text}"`);
  return Math.round(Number(match[1]) * (match[2] === 's' ? 1000 : 1));
}
