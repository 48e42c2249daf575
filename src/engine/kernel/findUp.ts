/**
 * The nearest ancestor that holds a file: how a folder finds the project it belongs to (go.mod,
 * package.json). One loop for every language, from the folder itself up to the filesystem root.
 */
import * as path from 'node:path';
import { isFile } from './paths';

/** Whether `dir` holds the file `name` (the disk's answer unless a test gives another). */
export type Holds = (dir: string, name: string) => boolean;

const onDisk: Holds = (dir, name) => isFile(path.join(dir, name));

/**
 * The nearest folder at or above `start` that holds one of `names` (as a file), or undefined when
 * none does up to the filesystem root. Absolute.
 */
export function findUp(start: string, names: string | readonly string[], holds: Holds = onDisk): string | undefined {
  const wanted = typeof names === 'string' ? [names] : names;
  let current = path.resolve(start);
  for (;;) {
    if (wanted.some((name) => holds(current, name))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
