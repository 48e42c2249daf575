import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `go build -overlay`'s file: each replaced file's content goes to `dir`, and the JSON maps
 * the real path to it (`{"Replace": {"/abs/main.go": "/dir/0.go"}}`). Go compiles the replacement
 * under the real path's name, so positions, panics and the binary itself are what a build of the
 * same content on disk gives. Returns the JSON file's path.
 */
export function writeOverlay(dir: string, files: ReadonlyMap<string, Buffer>): string {
  fs.mkdirSync(dir, { recursive: true });
  const replace: Record<string, string> = {};
  let n = 0;
  for (const [file, content] of files) {
    const copy = path.join(dir, `${n++}-${path.basename(file)}`);
    fs.writeFileSync(copy, content);
    replace[file] = copy;
  }
  const json = path.join(dir, 'overlay.json');
  fs.writeFileSync(json, JSON.stringify({ Replace: replace }));
  return json;
}
