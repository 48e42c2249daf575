import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from '../../settings/types';
import type { PatchUnit } from '../language';

/** A folder of reloadable logic: a `package main` exporting HotReloadV1, loaded into the slot named after it. */
export type PluginFolder = PatchUnit;

/** A folder whose Go files export go/hotreload's plugin entry point (`func HotReloadV1() any`). */
export function isHotReloadPlugin(dir: string): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((name) => {
    if (!name.endsWith('.go') || name.endsWith('_test.go')) return false;
    try {
      return /^func HotReloadV1\(\)/m.test(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      return false;
    }
  });
}

/**
 * Finds plugin folders: the ones named in settings, or every folder in the
 * module (outside vendor, testdata, hidden folders and the work dir) whose Go
 * files declare `package main` and `func HotReloadV1(`.
 */
export function findPluginFolders(settings: Settings, named: string[] | undefined): PluginFolder[] {
  if (named && named.length > 0) {
    return named.map((rel) => {
      const dir = path.resolve(settings.moduleRoot, rel);
      return { slot: path.basename(dir), dir };
    });
  }
  const found: PluginFolder[] = [];
  const hostDir = path.resolve(settings.moduleRoot, settings.package || '.');
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (dir !== hostDir && isHotReloadPlugin(dir)) {
      found.push({ slot: path.basename(dir), dir });
    }
    if (depth >= 6) return;
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'vendor' || e.name === 'testdata' || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (full === settings.workDir) continue;
      walk(full, depth + 1);
    }
  };
  walk(settings.moduleRoot, 0);
  return found;
}
