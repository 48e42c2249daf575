import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUp } from '../../kernel/findUp';

/**
 * A Go workspace: the go.work the go command uses for a module (GOWORK's, else the nearest one at
 * or above it; GOWORK=off: none) and the module folders it `use`s.
 */
export function workFile(moduleDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const named = env.GOWORK;
  if (named === 'off') return undefined;
  if (named) return path.resolve(moduleDir, named);
  const dir = findUp(moduleDir, 'go.work');
  return dir && path.join(dir, 'go.work');
}

/** The folders a go.work `use`s, absolute (`use ./a` and `use ( ./a ./b )`); empty when it cannot be read. */
export function workModules(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const match of text.matchAll(/^\s*use\s*(?:\(([^)]*)\)|(\S+))/gm)) {
    for (const dir of (match[1] ?? match[2]).split(/\s+/).filter(Boolean)) dirs.push(path.resolve(path.dirname(file), dir.replace(/^"|"$/g, '')));
  }
  return dirs;
}
