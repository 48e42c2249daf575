import { flag, optionalText } from './spec';

/** Debugging with Delve while the program hot-reloads. */
export const DEBUG = {
  debug: flag({
    group: 'debug',
    default: false,
    doc: 'Run each version under the debugger (Delve’s DAP server) and keep one debug session across reloads: breakpoints stay set and are hit in each new version. Builds use `-gcflags=all=-N -l` and keep DWARF. In VS Code, **Hot Reload: Start Debugging** (or F5 with a `hotreload` launch configuration) turns it on for you; the CLI prints the address to connect a debugger to.',
    vscode: true,
    cli: { flag: 'debug', sets: true, help: 'run each version under Delve and keep one debug session across reloads' },
  }),
  debugAddress: optionalText({
    group: 'debug',
    doc: 'Where the engine takes debugger (DAP) connections with `#hotReload.debug#`, as `[host]:port`; the session lasts across reloads, so this address does not change. Empty: `127.0.0.1` on a free port, printed when the session starts. Anyone who can reach it can run code as you: keep it on loopback.',
    vscode: true,
    cli: { flag: 'debug-address', arg: 'address', help: 'where debuggers connect with --debug (default 127.0.0.1 on a free port)' },
  }),
  delvePath: optionalText({
    group: 'debug',
    doc: 'The Delve executable to debug with (1.25 or later). Empty: `dlv` on the PATH, else in `$(go env GOPATH)/bin`.',
    vscode: true,
    cli: { flag: 'dlv', arg: 'path', help: 'the Delve executable (default: dlv on the PATH or in $(go env GOPATH)/bin)' },
  }),
};
