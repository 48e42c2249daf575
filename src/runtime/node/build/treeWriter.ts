import * as fs from 'node:fs';
import * as path from 'node:path';
import { isTypeScript, sourceFolder } from './layout';
import type { TreeLayout } from './protocol';

export interface OutputFile {
  /** Relative to the tree's root. */
  path: string;
  contents: Uint8Array;
}

/**
 * Writes one version's tree: the built modules, then, in every folder that holds one, a link to
 * each other entry of the project folder it mirrors (static files, views, migrations, JSON,
 * package.json, node_modules, sub-folders with no code), so that a path next to a module's
 * `__dirname` reads what it would next to the source. TypeScript files are not linked: Node cannot
 * run them, and a loader that lists a folder (@fastify/autoload) must find only the built modules.
 */
export function writeTree(tree: string, layout: TreeLayout, outputs: readonly OutputFile[]): void {
  fs.mkdirSync(tree, { recursive: true, mode: 0o700 });
  const folders = new Set<string>(['']);
  for (const output of outputs) {
    const target = path.join(tree, output.path);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.writeFileSync(target, output.contents);
    for (let dir = path.dirname(output.path); dir !== '.' && !folders.has(dir); dir = path.dirname(dir)) folders.add(dir);
  }
  const written = new Set(outputs.map((o) => o.path));
  for (const folder of folders) linkFolder(tree, layout, folder, (name) => folders.has(name) || written.has(name));
}

function linkFolder(tree: string, layout: TreeLayout, folder: string, ours: (relative: string) => boolean): void {
  const source = sourceFolder(layout, folder);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(source, { withFileTypes: true });
  } catch {
    return; // a folder made only of built modules (outDir with no rootDir counterpart)
  }
  for (const entry of entries) {
    const relative = folder ? path.join(folder, entry.name) : entry.name;
    if (ours(relative)) continue;
    if (!entry.isDirectory() && isTypeScript(entry.name)) continue;
    try {
      fs.symlinkSync(path.join(source, entry.name), path.join(tree, relative));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Points `link` at `target` (relative, so the version folder can move), replacing what was there. */
export function linkMain(link: string, target: string): void {
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(path.dirname(link), target), link);
}
