import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkImportRules, readImportGraph, type ImportGraph } from '../support/importGraph';

const srcDir = path.resolve(__dirname, '..', '..', '..', 'src');

test('src/ keeps the layers: no cycle, no upward or sideways edge, no vscode in the engine, front ends through the entry', () => {
  const graph = readImportGraph(srcDir);
  assert.ok(graph.files.length > 50, `read ${graph.files.length} files`);
  assert.deepEqual(checkImportRules(graph), []);
});

/** A graph of the given edges (files are every file named; "type" marks an `import type`), with optional package imports. */
function graphOf(edges: ([string, string] | [string, string, 'type'])[], packages: [string, string][] = []): ImportGraph {
  const files = [...new Set(edges.flatMap(([from, to]) => [from, to]))];
  return {
    files,
    edges: edges.map(([from, to, kind]) => ({ from, to, typeOnly: kind === 'type' })),
    packages: packages.map(([from, name]) => ({ from, name })),
  };
}

test('the rules catch each kind of violation', () => {
  const clean = graphOf([
    ['engine/session/session.ts', 'engine/strategies/strategy.ts'],
    ['engine/strategies/strategy.ts', 'engine/kernel/events.ts'],
    ['cli/main.ts', 'engine/index.ts'],
    ['engine/languages/node/bundler.ts', 'runtime/node/build/protocol.ts', 'type'],
    ['engine/strategies/handoff/handoff.ts', 'runtime/node/hook/protocol.ts', 'type'],
  ]);
  assert.deepEqual(checkImportRules(clean), []);
  const cases: [string, ImportGraph, RegExp][] = [
    ['upward edge', graphOf([['engine/kernel/events.ts', 'engine/session/session.ts']]), /upward edge/],
    ['sideways edge', graphOf([['engine/watch/watcher.ts', 'engine/processes/program.ts']]), /sideways edge/],
    [
      'cycle',
      graphOf([
        ['engine/session/a.ts', 'engine/session/b.ts'],
        ['engine/session/b.ts', 'engine/session/a.ts'],
      ]),
      /import cycle/,
    ],
    ['vscode in the engine', graphOf([['engine/session/a.ts', 'engine/kernel/b.ts']], [['engine/session/a.ts', 'vscode']]), /never imports editor code/],
    ['front end past the entry', graphOf([['server/main.ts', 'engine/session/session.ts']]), /only engine\/index.ts/],
    [
      'a language past its interface',
      graphOf([['engine/strategies/patch/patch.ts', 'engine/languages/go/plugins.ts']]),
      /only through engine\/languages\/registry.ts/,
    ],
    ['front end into another', graphOf([['client/a.ts', 'server/b.ts']]), /never imports another/],
    ['a value import of a runtime protocol', graphOf([['engine/languages/node/bundler.ts', 'runtime/node/build/protocol.ts']]), /only types from src\/runtime/],
    [
      'a type import of a runtime file that is not a protocol',
      graphOf([['engine/languages/node/bundler.ts', 'runtime/node/build/worker.ts', 'type']]),
      /nothing outside src\/engine but the types of src\/runtime's protocol files/,
    ],
    ['a type import of another folder', graphOf([['engine/session/a.ts', 'server/protocol.ts', 'type']]), /nothing outside src\/engine/],
  ];
  for (const [name, graph, expected] of cases) {
    const problems = checkImportRules(graph);
    assert.ok(
      problems.some((p) => expected.test(p)),
      `${name}: ${JSON.stringify(problems)}`,
    );
  }
});

test('the graph tells type imports from value imports', () => {
  const graph = readImportGraph(srcDir);
  const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
  assert.equal(edge('engine/languages/node/bundler.ts', 'runtime/node/build/protocol.ts')?.typeOnly, true, 'import type { … }');
  assert.equal(edge('runtime/node/hook/index.ts', 'runtime/node/hook/protocol.ts')?.typeOnly, false, 'import { readProtocol, type … }');
  assert.equal(edge('engine/languages/node/bundler.ts', 'engine/languages/node/runtimeFiles.ts')?.typeOnly, false, 'import { runtimeFile }');
});
