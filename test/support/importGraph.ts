/**
 * The import graph of src/ and the architecture's rules over it: the engine's layers (bottom up,
 * no upward or sideways edge, no cycle), no editor code in the engine, front ends that reach the
 * engine only through its public entry, languages reached only through their registry, and
 * nothing of src/runtime in the engine but the types of its protocol files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** An edge: `from` imports `to` (paths relative to src/, with forward slashes). */
export interface ImportEdge {
  from: string;
  to: string;
  /** Every import of `to` in `from` is `import type` (or `export type`): nothing of it is loaded. */
  typeOnly?: boolean;
}

/** What the engine may take from src/runtime (what runs in the user's node): its protocol files' types. */
const RUNTIME_PROTOCOL = /^runtime\/(.+\/)?protocol\.ts$/;

/** Module imports that are not files of src/ (packages, node builtins), by importing file. */
export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
  packages: { from: string; name: string }[];
}

/** The engine's layers, bottom up; folders in one layer may not import each other. */
export const ENGINE_LAYERS: readonly (readonly string[])[] = [
  ['kernel'],
  ['settings'],
  ['processes', 'watch', 'browser'],
  ['languages'],
  ['strategies', 'debug'],
  ['session'],
  ['system'],
  ['control'],
  ['index.ts'],
];

export const FRONT_ENDS: readonly string[] = ['server', 'client', 'cli', 'mcp'];

/** The one file that imports from the language folders: the registry, whose rows they are. */
export const LANGUAGE_GATEWAY = 'engine/languages/registry.ts';

/** Reads every .ts file under `srcDir` and resolves its relative imports. */
export function readImportGraph(srcDir: string): ImportGraph {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(full);
    }
  };
  walk(srcDir);
  const rel = (file: string) => path.relative(srcDir, file).split(path.sep).join('/');
  const graph: ImportGraph = { files: files.map(rel), edges: [], packages: [] };
  for (const file of files) {
    for (const [spec, typeOnly] of moduleReferences(file)) {
      if (!spec.startsWith('.')) {
        graph.packages.push({ from: rel(file), name: spec });
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
      graph.edges.push({ from: rel(file), to: target ? rel(target) : `${rel(base)} (unresolved)`, typeOnly });
    }
  }
  return graph;
}

/** Each module a file refers to (imports, re-exports, require and import() calls), and whether only as types. */
function moduleReferences(file: string): Map<string, boolean> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const refs = new Map<string, boolean>();
  const add = (spec: ts.Node | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteralLike(spec)) refs.set(spec.text, (refs.get(spec.text) ?? true) && typeOnly);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypeNames =
        !clause?.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, clause !== undefined && (clause.isTypeOnly || onlyTypeNames));
    } else if (ts.isExportDeclaration(node)) {
      const names = node.exportClause;
      add(
        node.moduleSpecifier,
        node.isTypeOnly || (names !== undefined && ts.isNamedExports(names) && names.elements.length > 0 && names.elements.every((e) => e.isTypeOnly)),
      );
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

function engineFolder(file: string): string | undefined {
  if (!file.startsWith('engine/')) return undefined;
  const rest = file.slice('engine/'.length);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : rest;
}

function layerOf(folder: string): number {
  return ENGINE_LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Every broken rule, as a sentence naming the files. Empty when the graph is clean. */
export function checkImportRules(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const { from, name } of graph.packages) {
    if (from.startsWith('engine/') && (name === 'vscode' || name.startsWith('vscode-language')))
      problems.push(`${from} imports ${name}: the engine never imports editor code`);
  }
  for (const { from, to, typeOnly } of graph.edges) {
    if (to.endsWith('(unresolved)')) {
      problems.push(`${from} imports ${to}`);
      continue;
    }
    const fromFolder = engineFolder(from);
    const toFolder = engineFolder(to);
    if (fromFolder !== undefined) {
      if (toFolder === undefined) {
        if (RUNTIME_PROTOCOL.test(to) && typeOnly) continue;
        problems.push(
          RUNTIME_PROTOCOL.test(to)
            ? `${from} imports ${to}: the engine takes only types from src/runtime (import type)`
            : `${from} imports ${to}: the engine imports nothing outside src/engine but the types of src/runtime's protocol files`,
        );
        continue;
      }
      const fromLayer = layerOf(fromFolder);
      const toLayer = layerOf(toFolder);
      if (fromLayer < 0) problems.push(`${from}: engine/${fromFolder} is in no layer`);
      else if (toLayer < 0) problems.push(`${to}: engine/${toFolder} is in no layer`);
      else if (toLayer > fromLayer) problems.push(`${from} imports ${to}: an upward edge (${fromFolder} is below ${toFolder})`);
      else if (toLayer === fromLayer && toFolder !== fromFolder)
        problems.push(`${from} imports ${to}: a sideways edge (${fromFolder} and ${toFolder} are one layer)`);
      const language = /^engine\/languages\/([^/]+)\//.exec(to)?.[1];
      const fromLanguage = /^engine\/languages\/([^/]+)\//.exec(from)?.[1];
      if (language !== undefined && fromLanguage !== language && from !== LANGUAGE_GATEWAY)
        problems.push(`${from} imports ${to}: a language is reached only through ${LANGUAGE_GATEWAY}`);
      continue;
    }
    const frontEnd = FRONT_ENDS.find((f) => from.startsWith(`${f}/`));
    if (toFolder !== undefined && to !== 'engine/index.ts') problems.push(`${from} imports ${to}: front ends import only engine/index.ts`);
    const otherFrontEnd = FRONT_ENDS.find((f) => to.startsWith(`${f}/`));
    if (frontEnd && otherFrontEnd && otherFrontEnd !== frontEnd) problems.push(`${from} imports ${to}: one front end never imports another`);
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.join(' → ')} → ${cycle[0]}`);
  return problems;
}

/** The strongly connected components with more than one file (or a file importing itself). */
export function cycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of graph.edges) next.set(from, [...(next.get(from) ?? []), to]);
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.reverse());
    }
  };
  for (const file of graph.files) if (!indexOf.has(file)) visit(file);
  return found;
}
