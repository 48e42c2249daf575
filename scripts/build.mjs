// Bundles each entry point with esbuild. The engine, server and CLI run in
// plain Node; the client runs in the extension host where `vscode` is external.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { buildSupervisor, TARGETS } from './buildSupervisor.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // The native watcher loads a prebuilt .node file at run time; it ships beside the bundle in node_modules.
  external: ['vscode', '@parcel/watcher', 'fsevents'],
};

const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // `hotreload mcp`: the MCP server with its SDK, loaded by the CLI only for that subcommand.
  { entryPoints: ['src/mcp/main.ts'], outfile: 'dist/mcp.js' },
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  // The banner marks when the host starts loading the bundle, so activation can report its whole cost.
  { entryPoints: ['src/client/extension.ts'], outfile: 'dist/client.js', banner: { js: 'var __hotReloadLoadStart = Date.now();' } },
  // What runs inside the user's `node`: the hook preloaded into Node programs, and the esbuild worker.
  { entryPoints: ['src/runtime/node/hook/index.ts'], outfile: 'dist/node/hook.js' },
  { entryPoints: ['src/runtime/node/build/worker.ts'], outfile: 'dist/node/buildWorker.js' },
];

// Stale bundles or source maps from another mode must not ship.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// The supervisor every process runs under: this machine's, or with --target=<platform> (or all) another's.
const target = process.argv.find((a) => a.startsWith('--target='))?.slice('--target='.length);
buildSupervisor(target === 'all' ? TARGETS : target ? [target] : undefined);

// The keep() API Node programs import (`@hotreload/node`), bundled into them from its source.
mkdirSync(new URL('../dist/node', import.meta.url), { recursive: true });
cpSync(new URL('../node/hotreload/index.ts', import.meta.url), new URL('../dist/node/hotreload.ts', import.meta.url));

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
