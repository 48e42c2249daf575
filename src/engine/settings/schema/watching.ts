import { choice, flag, list, number } from './spec';

/**
 * File extensions that trigger a reload by default: Go sources and the module files, plus the
 * template files Go web programs commonly embed or parse at start (the same set air watches by
 * default, plus "gohtml"). Other embedded assets (css, js, json, sql, ...) are left out on purpose:
 * programs often write such files at run time inside the tree, which would reload in a loop. The
 * files a Go program embeds (`//go:embed`) are watched whatever their extension: the Go builder
 * lists them after each good build (languages/go/embedFiles.ts).
 */
export const DEFAULT_EXTENSIONS: readonly string[] = ['go', 'mod', 'sum', 'html', 'tmpl', 'tpl', 'gohtml'];

/** Which changes reload, and how they are noticed. */
export const WATCHING = {
  include: list({
    group: 'watching',
    doc: 'Glob patterns (relative to the project folder): when set, only changes to matching files reload. Example: `["cmd/**", "internal/**"]`.',
    vscode: true,
    cli: { flag: 'include', arg: 'glob', takes: 'repeat', help: 'only changes matching this glob reload (repeatable)' },
    air: { keys: ['build.include_dir'], via: 'includeDirs' },
  }),
  exclude: list({
    group: 'watching',
    doc: 'Glob patterns (relative to the project folder) whose changes never reload, on top of `.gitignore`, `.git/`, `vendor/` and `node_modules/`. Example: `["docs/**", "**/*.gen.go"]`.',
    vscode: true,
    cli: { flag: 'exclude', arg: 'glob', takes: 'repeat', help: 'changes matching this glob never reload (repeatable)' },
    air: { keys: ['build.exclude_dir', 'build.exclude_file', 'tmp_dir', 'testdata_dir'], via: 'excludes' },
  }),
  excludeRegex: list({
    group: 'watching',
    doc: 'Regular expressions searched in the project-relative path (forward slashes) of a changed file; a match never reloads. Example: `["_templ\\\\.go$"]`.',
    vscode: true,
    cli: { flag: 'exclude-regex', arg: 'regex', takes: 'repeat', help: 'changes whose path matches this regex never reload (repeatable)' },
    air: { keys: ['build.exclude_regex'], via: 'regexes' },
  }),
  alwaysInclude: list({
    group: 'watching',
    doc: 'Glob patterns of files that reload whatever their extension, `#hotReload.include#` or `.gitignore` say (for example `[".env"]`). `#hotReload.exclude#` still applies.',
    vscode: true,
    cli: { flag: 'always-include', arg: 'glob', takes: 'repeat', help: 'files matching this glob always reload (repeatable)' },
    air: { keys: ['build.include_file'], via: 'includeFiles' },
  }),
  extensions: list({
    group: 'watching',
    default: DEFAULT_EXTENSIONS,
    doc: 'File extensions whose changes reload, without the dot. Empty: any file. The default is for Go; for Node programs it is `ts, mts, cts, tsx, js, mjs, cjs, jsx, json`, and of those only the files the last good build read (with `package.json` and `tsconfig.json`) reload.',
    vscode: true,
    cli: { flag: 'ext', arg: 'list', takes: 'csv', help: 'extensions that reload, e.g. go,mod,sum,html' },
    air: { keys: ['build.include_ext'], via: 'extensions' },
  }),
  alsoWatch: list({
    group: 'watching',
    doc: 'Folders outside the project folder whose changes reload too (absolute, or relative to the project folder), with the same extensions, `.gitignore` and built-in exclusions; `#hotReload.include#` and `#hotReload.exclude#` apply to the project folder only. A Go module inside a `go.work` workspace watches the workspace’s other modules this way without being told.',
    vscode: true,
    cli: { flag: 'also-watch', arg: 'dir', takes: 'repeat', help: 'a folder outside the project whose changes reload too (repeatable)' },
  }),
  useGitignore: flag({
    group: 'watching',
    default: true,
    doc: 'Files that git ignores (`.gitignore` files, `.git/info/exclude`) never reload.',
    vscode: true,
    cli: { flag: 'no-gitignore', sets: false, help: 'reload on changes to files git ignores too' },
  }),
  watcher: choice(['native', 'polling'] as const, {
    group: 'watching',
    default: 'native',
    valueDocs: [
      'The operating system’s file events (fast, cheap).',
      'Poll for changes: for network drives, containers and shared folders where events do not arrive.',
    ],
    doc: 'How file changes are detected.',
    vscode: true,
    cli: [
      { flag: 'poll', sets: 'polling', help: 'poll for changes (network drives, containers)' },
      { flag: 'watcher', arg: 'kind', help: 'native (default) or polling' },
    ],
    air: { keys: ['build.poll'], via: 'poll' },
  }),
  pollIntervalMs: number({
    group: 'watching',
    default: 500,
    minimum: 0,
    doc: 'How often to poll for changes when `#hotReload.watcher#` is `polling`, in milliseconds.',
    vscode: true,
    cli: { flag: 'poll-interval', arg: 'ms', takes: 'duration' },
    air: { keys: ['build.poll_interval'], via: 'positive' },
  }),
  debounceMs: number({
    group: 'watching',
    default: 10,
    minimum: 0,
    doc: 'Quiet time after a burst of file changes (a branch switch, a formatter) before rebuilding, in milliseconds. Saves in the editor never wait.',
    vscode: true,
    cli: { flag: 'debounce', arg: 'ms', takes: 'duration', help: 'quiet time after a burst of changes before rebuilding (default 10)' },
    air: { keys: ['build.delay'], via: 'nonNegative' },
  }),
  onBusyUpdate: choice(['restart', 'queue', 'do-nothing'] as const, {
    group: 'watching',
    default: 'restart',
    valueDocs: [
      'Cancel the build under way (its whole process group) and build again with every change so far: the newest code runs soonest.',
      'Let the build under way finish and deploy, then build again with the changes that arrived meanwhile.',
      'Ignore changes that arrive during a build; save again (or Restart) to build them. Show Changes still lists them.',
    ],
    doc: 'What a change that arrives while a build is under way does.',
    vscode: true,
    cli: { flag: 'on-busy-update', arg: 'policy', help: 'restart (default), queue or do-nothing: a change during a build' },
  }),
};
