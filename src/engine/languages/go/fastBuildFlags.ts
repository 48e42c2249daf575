import type { Settings } from '../../settings/types';

/** The flags the engine adds to `go build`, and a sentence for the log saying which and why. */
export interface FastBuildFlags {
  flags: string[];
  /** Environment for the go command and the compiler and linker it runs. */
  env: Record<string, string>;
  note: string;
}

/**
 * No garbage collection in the go command, the compiler and the linker until a process's heap
 * reaches 512 MiB: a small program's link allocates some 50 MB and a 300-package one's some
 * 300 MB, so most builds never collect (about 10% off a small program's rebuild), and the limit
 * bounds what a huge package's compile can hold.
 */
const NO_GC: Record<string, string> = { GOGC: 'off', GOMEMLIMIT: '512MiB' };

/** `-s -w`: no symbol table, no DWARF. Most of a small program's rebuild is the link, and these make it about 30% faster. */
const STRIP = '-ldflags=-s -w';
/** No `git status` and `git log` per build to stamp VCS information nobody reads in development. */
const NO_VCS = '-buildvcs=false';

/**
 * What the engine adds to the user's `go build` flags (settings.fastBuildFlags): `-ldflags=-s -w`
 * and `-buildvcs=false`, each unless the user's flags or GOFLAGS set that flag already (theirs
 * wins; a command-line -ldflags would silently replace GOFLAGS'), and no -ldflags for a debug
 * build (-gcflags with -N or -l), as a debugger needs DWARF; and NO_GC's environment unless the
 * user's sets GOGC or GOMEMLIMIT. Panics keep their file:line stacks
 * without the symbol table: those come from the pclntab. -trimpath was measured too and does not pay.
 */
export function fastBuildFlags(settings: Pick<Settings, 'fastBuildFlags' | 'buildFlags' | 'buildEnv'>, env: NodeJS.ProcessEnv = process.env): FastBuildFlags {
  if (!settings.fastBuildFlags) return { flags: [], env: {}, note: 'fastBuildFlags is off: go build runs with your flags alone' };
  const goflags = (settings.buildEnv.GOFLAGS ?? env.GOFLAGS ?? '').split(/\s+/).filter(Boolean);
  const set = [...flagValues(settings.buildFlags), ...flagValues(goflags)];
  const has = (name: string) => set.some((f) => f.name === name);
  const debug = set.some((f) => f.name === 'gcflags' && /(^|[\s=])-[Nl]\b/.test(f.value ?? ''));
  const flags: string[] = [];
  const left: string[] = [];
  if (debug) left.push('-ldflags=-s -w (-gcflags has -N or -l: a debugger needs DWARF)');
  else if (has('ldflags')) left.push('-ldflags (yours)');
  else flags.push(STRIP);
  if (has('buildvcs')) left.push('-buildvcs (yours)');
  else flags.push(NO_VCS);
  const userEnv = (name: string) => settings.buildEnv[name] ?? env[name];
  const gcSet = userEnv('GOGC') !== undefined || userEnv('GOMEMLIMIT') !== undefined;
  if (gcSet) left.push('GOGC=off (your GOGC or GOMEMLIMIT)');
  const words = flags.map((f) => (f === STRIP ? "-ldflags='-s -w' (a faster link)" : `${f} (no git status per build)`));
  if (!gcSet) words.push('GOGC=off with GOMEMLIMIT=512MiB (no garbage collection in most compiles and links)');
  const added = words.length > 0 ? `adds ${words.join(' and ')}` : 'adds nothing';
  return { flags, env: gcSet ? {} : { ...NO_GC }, note: `go build: Hot Reload ${added}${left.length > 0 ? `; leaves out ${left.join(', ')}` : ''} (setting fastBuildFlags)` };
}

/** The flags in a list of `go build` arguments, by name without dashes, with their values. */
function flagValues(args: readonly string[]): { name: string; value?: string }[] {
  const withValue = new Set(['ldflags', 'gcflags', 'asmflags', 'gccgoflags', 'tags', 'mod', 'modfile', 'overlay', 'pgo', 'p', 'o', 'pkgdir', 'installsuffix', 'buildmode', 'compiler', 'toolexec', 'covermode', 'coverpkg']);
  const out: { name: string; value?: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--?([A-Za-z][\w-]*)(?:=([\s\S]*))?$/.exec(args[i]);
    if (!match) continue;
    const [, name, inline] = match;
    if (inline === undefined && withValue.has(name) && i + 1 < args.length) out.push({ name, value: args[++i] });
    else out.push({ name, value: inline });
  }
  return out;
}
