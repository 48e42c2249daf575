/** What the engine tells the build worker, and what the worker answers (one JSON object per line). */

/**
 * Where each source lands in the built tree. The tree mirrors `root` (the workspace root when the
 * package is in a workspace, else the package root): a source under `rootDir` lands at the same
 * place under `outDir`, as tsc emits it; any other source beside itself. Every other file of a
 * folder that holds output is linked in, so paths next to a module's `__dirname` read the project.
 */
export interface TreeLayout {
  root: string;
  /** tsc's outDir and rootDir (absolute, inside root), when the project's tsconfig sets an outDir. */
  outDir?: string;
  rootDir?: string;
}

/** The compiler for files with decorators whose tsconfig asks for `emitDecoratorMetadata`. */
export interface DecoratorCompiler {
  kind: 'swc' | 'typescript';
  /** The package to load (a directory or its main file). */
  path: string;
  version: string;
}

export interface WorkerConfig {
  /** The esbuild package to load (a directory or its main file). */
  esbuild: string;
  /** The package root: esbuild's working directory. */
  root: string;
  /**
   * Where the context writes the tree. Each build's tree is written to the folder its command
   * names, which must be at the same depth, so the source maps' relative paths hold.
   */
  outdir: string;
  /** Bare imports resolved to a file when the project does not have them (`@hotreload/node`). */
  fallbacks: Record<string, string>;
  /** Files whose change makes a new context (package.json, tsconfig.json). */
  configFiles: string[];
  /** Absent: no compiler was found, and decorator metadata is not emitted (the worker warns once when a file needs it). */
  decorators?: DecoratorCompiler;
  /** Why no compiler was found, for that warning. */
  decoratorsMissing?: string;
}

/**
 * One command per line. The supervisor writes each line on its own (a program that does not read
 * must not block it), so lines may arrive in any order: a command carries all it needs.
 */
export type WorkerCommand =
  /**
   * Build `sources` (absolute) into the tree `<dir of out>/<name of layout.root>`, and make `out` a
   * link to the output of `main` (to the tree itself without one).
   */
  | { op: 'build'; id: number; out: string; main?: string; layout: TreeLayout; sources: string[] }
  /** Cancel build `id`, if it is still running (a cancel that arrives late must not hit the next build). */
  | { op: 'cancel'; id: number };

export interface BuildMessage {
  severity: 'error' | 'warning';
  text: string;
  /** Absolute, when esbuild gave a location. */
  file?: string;
  line?: number;
  /** 1-based. */
  column?: number;
  notes: { text: string; file?: string; line?: number; column?: number }[];
}

export type WorkerEvent =
  | { event: 'ready'; node: string; esbuild: string }
  | { event: 'failed'; error: string }
  | { event: 'inputs'; id: number; files: string[] }
  | ({ event: 'message'; id: number } & BuildMessage)
  | { event: 'built'; id: number; ok: boolean; cancelled?: boolean; error?: string };
