import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseMs, settingParseOptions, settingsFromFlags, settingsHelp, type PartialSettings } from '../engine';
import { CONTROL_USAGE } from './controlArgs';

export { parseMs };

export interface CliOptions {
  root: string;
  layer: PartialSettings;
  airTomlPath?: string;
  color: boolean;
  json: boolean;
  help: boolean;
  version: boolean;
  /** Run only these services of the services file (and what they depend on). */
  only?: string[];
  /** Run every main package and Node entry found, as services. */
  all: boolean;
}

/** The CLI's own options, beside the settings' flags (which come from the settings schema). */
const OWN_OPTIONS = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  only: { type: 'string' },
  all: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export const USAGE = `Usage: hotreload [options] [-- program arguments]
       hotreload wait|status|logs|restart|stop|mcp [options]
       hotreload kube-agent-image FILE [--platform linux/amd64] [--ref IMAGE]

Builds and runs the Go program in the current module, and rebuilds and
restarts it on every saved change. In a folder with a hotreload.toml (or a
Procfile) it runs every service the file names, in dependency order. Reads .air.toml when present; these flags
win over it. Every flag is also a VS Code setting (hotReload.*). SIGUSR2
restarts the program (without a build when no source changed).

${CONTROL_USAGE}
${settingsHelp()}

Other:
  -c, --config <file>         an air config file (default: .air.toml if present)
      --json                  print engine events as JSON lines (for scripts)
      --only <a,b>            with a services file (hotreload.toml or Procfile):
                              run only these services, and what they depend on
      --all                   run every main package and Node entry found, each
                              as a service with a free PORT
      --no-color              no colours
  -h, --help                  this help
  -v, --version               the version
`;

/** Turns command-line arguments into a settings layer; throws with a clear message on bad input. */
export function parseCliArgs(argv: string[], cwd: string, isTTY: boolean): CliOptions {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...settingParseOptions(), ...OWN_OPTIONS } });
  const dir = (values as Record<string, unknown>).dir;
  const root = path.resolve(cwd, typeof dir === 'string' ? dir : '.');
  const layer = settingsFromFlags(values, root);
  delete layer.root; // the root is where the session opens, not a layer
  if (positionals.length > 0) layer.args = [...(layer.args ?? []), ...positionals];
  return {
    root,
    layer,
    airTomlPath: values.config !== undefined ? path.resolve(cwd, values.config) : undefined,
    color: !values['no-color'] && isTTY && !process.env.NO_COLOR,
    json: values.json ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    only: values.only
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    all: values.all ?? false,
  };
}
