/** Every key air knows (air's runner/config.go), and the type it takes. */
export type AirKind = 'string' | 'strings' | 'stringOrStrings' | 'bool' | 'number' | 'duration' | 'table' | 'tables';

const BUILD_COMMON: Record<string, AirKind> = {
  pre_cmd: 'strings',
  cmd: 'string',
  post_cmd: 'strings',
  bin: 'string',
  entrypoint: 'stringOrStrings',
  full_bin: 'string',
  args_bin: 'strings',
};

export const AIR_KEYS: Record<string, Record<string, AirKind>> = {
  '': {
    root: 'string',
    tmp_dir: 'string',
    testdata_dir: 'string',
    env_files: 'strings',
    build: 'table',
    color: 'table',
    log: 'table',
    misc: 'table',
    screen: 'table',
    proxy: 'table',
  },
  build: {
    ...BUILD_COMMON,
    log: 'string',
    include_ext: 'strings',
    exclude_dir: 'strings',
    include_dir: 'strings',
    exclude_file: 'strings',
    include_file: 'strings',
    exclude_regex: 'strings',
    exclude_unchanged: 'bool',
    ignore_dangerous_root_dir: 'bool',
    follow_symlink: 'bool',
    poll: 'bool',
    poll_interval: 'number',
    delay: 'number',
    stop_on_error: 'bool',
    send_interrupt: 'bool',
    kill_delay: 'duration',
    rerun: 'bool',
    rerun_delay: 'number',
    rules: 'tables',
    windows: 'table',
    darwin: 'table',
    linux: 'table',
  },
  'build.windows': BUILD_COMMON,
  'build.darwin': BUILD_COMMON,
  'build.linux': BUILD_COMMON,
  'build.rules': {
    name: 'string',
    cmd: 'string',
    include_dir: 'strings',
    include_ext: 'strings',
    include_file: 'strings',
    exclude_regex: 'strings',
    delay: 'number',
  },
  color: { main: 'string', watcher: 'string', build: 'string', runner: 'string', mode: 'string', app: 'string' },
  log: { time: 'bool', main_only: 'bool', silent: 'bool' },
  misc: { clean_on_exit: 'bool', startup_banner: 'string' },
  screen: { clear_on_rebuild: 'bool', keep_scroll: 'bool' },
  proxy: { enabled: 'bool', proxy_port: 'number', app_port: 'number', app_start_timeout: 'number' },
};

export const AIR_KIND_TEXT: Record<AirKind, string> = {
  string: 'a string',
  strings: 'an array of strings, e.g. ["a", "b"]',
  stringOrStrings: 'a string or an array of strings',
  bool: 'true or false',
  number: 'a number',
  duration: 'a duration such as "500ms" or "1s", or a number',
  table: 'a table',
  tables: 'an array of tables ([[...]])',
};

export const PLATFORM_TABLE: Partial<Record<NodeJS.Platform, string>> = { win32: 'windows', darwin: 'darwin', linux: 'linux' };
