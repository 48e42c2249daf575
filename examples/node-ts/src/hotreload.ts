/**
 * Live-patch state for Node programs run by Hot Reload. Copy this file into your project (it has no
 * dependencies) and import it by a relative path, or import `@hotreload/node`, which Hot Reload's
 * build resolves to this file when the project has no such package.
 *
 * With the patch strategy each saved change is loaded into the running process, and every module
 * runs again: `keep` gives the new version the value the first version made, so state survives.
 * Run without Hot Reload (plain `node`, production), `keep` just calls `init`.
 */

/** The process-wide store: one Map, shared by every version loaded into the process. */
const STORE = Symbol.for('hotreload.kept');

type Store = Map<string, unknown>;

function store(): Store {
  const holder = globalThis as { [STORE]?: Store };
  holder[STORE] ??= new Map();
  return holder[STORE];
}

/**
 * The value kept under `name`: made by `init` the first time, returned as it is by every later
 * version. Keep plain data or objects whose methods do not change between versions (a Map of
 * sessions, a database pool); a class instance keeps the methods of the version that made it.
 */
export function keep<T>(name: string, init: () => T): T {
  const kept = store();
  if (kept.has(name)) return kept.get(name) as T;
  const value = init();
  kept.set(name, value);
  return value;
}

/** Whether `name` was kept by an earlier version (this process was patched). */
export function isKept(name: string): boolean {
  return store().has(name);
}
