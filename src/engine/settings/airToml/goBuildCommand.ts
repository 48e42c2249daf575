import { splitCommandLine } from './shellWords';

/** Flags of `go build` that take a separate value. */
const GO_BUILD_VALUE_FLAGS = new Set([
  'o',
  'p',
  'asmflags',
  'buildmode',
  'compiler',
  'gccgoflags',
  'gcflags',
  'installsuffix',
  'ldflags',
  'mod',
  'modfile',
  'overlay',
  'pgo',
  'pkgdir',
  'tags',
  'toolexec',
  'coverpkg',
  'covermode',
  'C',
]);

/** The package of a plain `go build [flags] [pkg]` command ("." when none); undefined otherwise. */
export function goBuildPackage(cmd: string): string | undefined {
  const split = splitCommandLine(cmd);
  if (!('words' in split) || split.assignments.length > 0) return undefined;
  const [go, build, ...rest] = split.words;
  if (go !== 'go' || build !== 'build') return undefined;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (w.startsWith('-')) {
      const name = w.replace(/^--?/, '').split('=')[0];
      if (name === 'C') return undefined; // builds in another directory
      if (GO_BUILD_VALUE_FLAGS.has(name) && !w.includes('=')) i++;
      continue;
    }
    positional.push(w);
  }
  if (positional.length === 0) return '.';
  if (positional.length === 1 && !positional[0].endsWith('.go') && !positional[0].includes('...')) return positional[0];
  return undefined;
}
