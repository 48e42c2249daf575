import { alternatives } from '../../kernel/text';
import { choice, flag, list, optionalText, record, text } from './spec';

/**
 * The languages the engine has a module for. The language registry (languages/registry.ts) has
 * exactly one row per id, which the compiler checks; the first is the language of a folder no
 * project file claims.
 */
export const LANGUAGE_IDS = ['go', 'node'] as const;
export type LanguageId = (typeof LANGUAGE_IDS)[number];

/** The languages a target can be in; `auto` decides by the project's files. */
const LANGUAGES = ['auto', ...LANGUAGE_IDS] as const;

/** What to run and how: the target, its arguments, environment and working directory. */
export const PROGRAM = {
  root: text({
    group: 'program',
    default: (root) => root,
    doc: 'The project folder: the workspace folder in VS Code, the current directory for the CLI. Every relative path in the settings is relative to it.',
    vscode: false,
    path: true,
    cli: { flag: 'dir', short: 'C', arg: 'dir', help: 'project folder (default: the current directory)' },
    air: { keys: ['root'], via: 'root' },
  }),
  language: choice(LANGUAGES, {
    group: 'program',
    default: 'auto',
    valueDocs: [
      'Go when the folder (or a parent) has `go.mod`, Node when it has `package.json` and no `go.mod`; with both, the one picked with **Hot Reload: Select Target**.',
      'A Go program, built with `go build`.',
      'A Node or TypeScript program, built with esbuild and run with `node`.',
    ],
    doc: 'The language of the program to run.',
    vscode: true,
    cli: { flag: 'language', arg: 'name', help: alternatives(['auto (default)', ...LANGUAGE_IDS]) },
  }),
  moduleRoot: text({
    group: 'program',
    default: (root) => root,
    doc: 'The folder holding `go.mod` (for Node programs, `package.json`), relative to the project folder. Empty: found by looking at the project folder, its parents, then (Go) its subfolders.',
    vscode: true,
    path: true,
    cli: { flag: 'module-root', arg: 'dir' },
  }),
  package: text({
    group: 'program',
    default: '',
    doc: 'The main package to build and run, as `go build` takes it (for example `./cmd/server`). Empty: the only main package in the module, or the one picked with **Hot Reload: Select Target**.',
    vscode: true,
    cli: { flag: 'package', short: 'p', arg: 'pkg', help: 'main package to build, e.g. ./cmd/server' },
    air: { keys: ['build.cmd'], via: 'goBuildPackage' },
  }),
  entry: text({
    group: 'program',
    default: '',
    doc: 'For Node programs: the file to build and run, relative to the project folder (for example `src/server.ts`). Empty: `main` or `bin` of `package.json` (a `main` in `dist/` stands for its source in `src/`), else `src/server`, `src/index`, `src/main`, `server`, `index` or `main` with a `.ts`, `.mts`, `.cts`, `.js`, `.mjs` or `.cjs` extension; when several exist, the one picked with **Hot Reload: Select Target**.',
    vscode: true,
    path: true,
    cli: { flag: 'entry', arg: 'file', help: 'the Node entry file, e.g. src/server.ts' },
  }),
  command: optionalText({
    group: 'program',
    doc: 'For Node programs: the command that runs the program, when a framework’s runner starts it (for example `fastify start -l info dist/app.js`, `node dist/main.js`, or a package.json script: `npm run dev:start`). The program is still built with esbuild, into a tree that mirrors the project with tsc’s `outDir` where the command looks for it, and the command runs in that tree; a command that names a TypeScript source (`tsx src/app.ts`) runs in the project folder with no build, as its runner compiles. `node_modules/.bin` is on its PATH, and with the handoff and patch strategies Hot Reload’s hook is preloaded through `NODE_OPTIONS`. Empty: `node` runs the entry.',
    vscode: true,
    cli: { flag: 'command', arg: 'command', help: 'run the Node program with this command, e.g. "fastify start -l info dist/app.js"' },
    air: { keys: ['build.full_bin'], via: 'nodeCommand' },
  }),
  args: list({
    group: 'program',
    doc: 'Arguments passed to your program, one per item.',
    vscode: true,
    cli: { flag: 'arg', arg: 'word', takes: 'repeat', help: 'an argument for the program (repeatable; or put them after --)' },
    air: { keys: ['build.full_bin', 'build.entrypoint', 'build.bin', 'build.args_bin'], via: 'args' },
  }),
  env: record({
    group: 'program',
    doc: 'Environment variables for your program, on top of the editor’s (or the terminal’s) environment and the env files.',
    vscode: true,
    cli: { flag: 'env', arg: 'KEY=VALUE', takes: 'assignments', help: 'environment for the program (repeatable)' },
    air: { keys: ['build.full_bin'], via: 'binEnv' },
  }),
  envFiles: list({
    group: 'program',
    doc: 'Env files (`KEY=value` lines) loaded for your program, relative to the project folder; later files win. Read again at every start.',
    vscode: true,
    path: true,
    cli: { flag: 'env-file', arg: 'file', takes: 'repeat', help: 'a dotenv file for the program (repeatable)' },
    air: { keys: ['env_files'], via: 'envFiles' },
  }),
  cwd: text({
    group: 'program',
    default: (root) => root,
    doc: 'The working directory of your program, relative to the project folder. Empty: the project folder.',
    vscode: true,
    path: true,
    cli: { flag: 'cwd', arg: 'dir', help: 'working directory of the program' },
  }),
};

/** How the program is built. */
export const BUILD = {
  buildCommand: optionalText({
    group: 'build',
    doc: 'A build command to run instead of `go build` (for example `make build`). Needs `#hotReload.binary#`, the file it produces. Overrides `.air.toml`’s `build.cmd`.',
    vscode: true,
    cli: { flag: 'build', arg: 'command', help: 'a custom build command (with --bin), e.g. "make build"' },
    air: { keys: ['build.cmd'], via: 'buildCommand' },
  }),
  binary: optionalText({
    group: 'build',
    doc: 'The executable `#hotReload.buildCommand#` writes, relative to the project folder. Hot Reload copies it before running, so a build never overwrites the running program.',
    vscode: true,
    path: true,
    cli: { flag: 'bin', arg: 'file', help: 'the file the custom build command produces' },
    air: { keys: ['build.bin', 'build.entrypoint', 'build.full_bin'], via: 'binary' },
  }),
  buildFlags: list({
    group: 'build',
    doc: 'Extra `go build` flags, one per item, for example `["-tags", "dev", "-race"]`.',
    vscode: true,
    cli: { flag: 'build-flag', arg: 'flag', takes: 'repeat', help: 'an extra go build flag (repeatable), e.g. --build-flag=-race' },
  }),
  fastBuildFlags: flag({
    group: 'build',
    default: true,
    doc: 'Add `-ldflags=-s -w` (no symbol table and no DWARF: a faster link; panics keep their file:line stacks) and `-buildvcs=false` (no `git status` per build) to `go build`, and run it with `GOGC=off GOMEMLIMIT=512MiB` (the compiler and linker collect no garbage until a process holds 512 MiB: most never do, and a small program rebuilds about 10% faster). Each flag is left out when `#hotReload.buildFlags#` or `GOFLAGS` set that flag themselves; `-ldflags` also when `-gcflags` has `-N` or `-l` (a debugger needs DWARF); the environment when yours sets `GOGC` or `GOMEMLIMIT`. The log says what was added. Off: exactly your flags and environment.',
    vscode: true,
    cli: { flag: 'no-fast-build-flags', sets: false, help: 'build with exactly your go build flags (no -ldflags=-s -w, no -buildvcs=false)' },
  }),
  buildBeforeSave: flag({
    group: 'build',
    default: true,
    doc: 'Build while you type, from the editor: after 300 ms without an edit, the unsaved Go files are built in the background (`go build -overlay`, at the lowest CPU priority, one build at a time, dropped by the next keystroke, formatted as a format-on-save would). A save whose files are exactly what was built deploys that build at once. Nothing shows before the save: no errors, no program. Not with `#hotReload.buildCommand#`, `#hotReload.preBuildCommands#` or the patch strategy.',
    vscode: true,
    cli: { flag: 'no-build-before-save', sets: false, help: 'no builds of an editor’s unsaved files (a terminal session has none)' },
  }),
  buildEnv: record({
    group: 'build',
    doc: 'Environment variables for the build only (for example `{"CGO_ENABLED": "0"}`), on top of the editor’s environment.',
    vscode: true,
    cli: { flag: 'build-env', arg: 'KEY=VALUE', takes: 'assignments', help: 'environment for the build (repeatable)' },
  }),
  cgoOnlyWhenNeeded: flag({
    group: 'build',
    default: true,
    doc: 'Build a Go program with `CGO_ENABLED=0` when no package it imports outside the standard library has cgo files (a faster link, and no C compiler needed); a program with cgo packages (a SQLite driver, say) builds with cgo as usual. The packages are listed when the session starts and again when go.mod or an import changes. Left to Go when `CGO_ENABLED` is set (in `#hotReload.buildEnv#` or the environment), with `-race`, and with the patch strategy. The log says which it chose.',
    vscode: true,
    cli: { flag: 'no-cgo-only-when-needed', sets: false, help: 'build with cgo as Go’s default says, even when no package needs it' },
  }),
  preBuildCommands: list({
    group: 'build',
    doc: 'Shell commands run in the project folder before each build, in order (for example code generators). A failing command fails the build.',
    vscode: true,
    cli: { flag: 'pre-build', arg: 'command', takes: 'repeat', help: 'a command run before each build (repeatable)' },
    air: { keys: ['build.pre_cmd'], via: 'commands' },
  }),
  postStopCommands: list({
    group: 'build',
    doc: 'Shell commands run in the project folder once hot reload stops and the program is gone (for example to stop a database).',
    vscode: true,
    cli: { flag: 'post-stop', arg: 'command', takes: 'repeat', help: 'a command run after hot reload stops (repeatable)' },
    air: { keys: ['build.post_cmd'], via: 'commands' },
  }),
};
