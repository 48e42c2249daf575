import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandHome } from '../../kernel/paths';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand } from '../../processes/runCommand';
import type { ConfigProblem, Settings } from '../../settings/types';
import type { DebugAdapter, DebuggedRun } from '../language';
import { strippingFlagsIn } from './buildFlags';
import { debugGcflags } from './debugPackages';

const INSTALL_DELVE = 'go install github.com/go-delve/delve/cmd/dlv@latest';

/** Delve (`dlv dap`), the Go debugger, dialing the engine's socket for each version. */
export class Delve implements DebugAdapter {
  readonly name = 'Delve';
  /** What VS Code's Go extension calls a Delve session. */
  readonly adapterId = 'go';
  /**
   * Delve's crash-reporting sidecar (golang.org/x/telemetry) would be a process of every version,
   * stopped mid-write at each reload: the adapter starts none. The program gets the variable back
   * as it was (launchArguments).
   */
  readonly env = { GO_TELEMETRY_CHILD: '2' };

  async find(settings: Pick<Settings, 'delvePath' | 'root'>, host?: ProcessHost): Promise<string | ConfigProblem> {
    if (settings.delvePath) {
      const given = settings.delvePath.includes('/') ? path.resolve(settings.root, expandHome(settings.delvePath)) : lookPath(settings.delvePath);
      if (given && isExecutable(given)) return given;
      return {
        severity: 'error',
        source: 'delvePath',
        message: `delvePath ${JSON.stringify(settings.delvePath)} is not an executable file: install Delve with \`${INSTALL_DELVE}\` or fix the setting`,
        fix: { label: 'Install Delve', command: INSTALL_DELVE },
      };
    }
    const onPath = lookPath('dlv');
    if (onPath) return onPath;
    for (const dir of await goBinDirs(settings.root, host)) {
      const candidate = path.join(dir, 'dlv');
      if (isExecutable(candidate)) return candidate;
    }
    return {
      severity: 'error',
      source: 'debug',
      message: `Delve (dlv), the Go debugger, is not installed: it is neither on the PATH nor in $(go env GOPATH)/bin. Install it with \`${INSTALL_DELVE}\`, or set delvePath.`,
      fix: { label: 'Install Delve', command: INSTALL_DELVE },
    };
  }

  args(clientAddress: string): string[] {
    return ['dap', `--client-addr=${clientAddress}`];
  }

  launchArguments(run: DebuggedRun): Record<string, unknown> {
    return {
      request: 'launch',
      mode: 'exec',
      program: run.executable,
      args: run.args,
      cwd: run.cwd,
      // The program's output goes where it goes without a debugger (the supervisor's pipes), and
      // what the user types reaches it: Delve opens its own stdin for the program.
      outputMode: 'local',
      stdinFrom: '/dev/stdin',
      env: { GO_TELEMETRY_CHILD: run.env.GO_TELEMETRY_CHILD ?? null },
    };
  }

  startNotes(settings: Settings): string[] {
    const gcflags = debugGcflags(settings).join(' ');
    const notes = [
      settings.buildCommand
        ? `debug: the build command \`${settings.buildCommand}\` is used as it is: build with ${gcflags} and without -ldflags=-s -w for the debugger to see every variable`
        : settings.debugAllPackages
          ? `debug: builds use ${gcflags} and keep DWARF; the first one recompiles the standard library and every dependency (a minute or more), later ones take as long as usual`
          : `debug: builds use ${gcflags} and keep DWARF: your module's packages without optimisation, dependencies and the standard library optimised and cached (debugAllPackages builds them all for the debugger)`,
    ];
    if (!settings.buildCommand && strippingFlagsIn(settings.buildFlags)) notes.push('debug: -s and -w were removed from buildFlags’ -ldflags: the debugger needs the symbols and DWARF they strip');
    return notes;
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function lookPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where `go install` puts programs: GOBIN, else each GOPATH entry's bin. */
async function goBinDirs(cwd: string, host?: ProcessHost): Promise<string[]> {
  const result = await runCommand('go', ['env', 'GOBIN', 'GOPATH'], { cwd, env: process.env, host });
  if (result.code !== 0) return [];
  const [gobin = '', gopath = ''] = result.output.split('\n').map((line) => line.trim());
  return [...(gobin ? [gobin] : []), ...gopath.split(path.delimiter).filter(Boolean).map((p) => path.join(p, 'bin'))];
}
