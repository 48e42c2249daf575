import { flag, optionalText } from './spec';

/** Debugging with Delve while the program hot-reloads. */
export const DEBUG = {
  debug: flag({
    group: 'debug',
    default: false,
    doc: 'Run each version under the debugger (Delve’s DAP server) and keep one debug session across reloads: breakpoints stay set and are hit in each new version. Builds compile your module’s packages without optimisation (`-gcflags=<module>/...=-N -l`; see `#hotReload.debugAllPackages#`) and keep DWARF. In VS Code, **Hot Reload: Start Debugging** (or F5 with a `hotreload` launch configuration) turns it on for you; the CLI prints the address to connect a debugger to.',
    vscode: true,
    cli: { flag: 'debug', sets: true, help: 'run each version under Delve and keep one debug session across reloads' },
  }),
  debugAllPackages: flag({
    group: 'debug',
    default: false,
    doc: 'With `#hotReload.debug#`, build every package without optimisation (`-gcflags=all=-N -l`) from the first build: the standard library and your dependencies too, so stepping into them shows every variable (the first build recompiles them all, once: go caches them). Off: the first build leaves only the packages of your module (and of the modules of its `go.work`) unoptimised, so it takes seconds; then, for a program of 150 packages or more, every package is built without optimisation in the background at the lowest CPU priority and the next builds use `all=-N -l`, which Delve loads much faster than optimised dependencies.',
    vscode: true,
    cli: { flag: 'debug-all-packages', sets: true, help: 'with --debug, build dependencies and the standard library without optimisation too' },
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
