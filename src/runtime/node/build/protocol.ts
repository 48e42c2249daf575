/** What the engine tells the build worker, and what the worker answers (one JSON object per line). */
export interface WorkerConfig {
  /** The esbuild package to load (a directory or its main file). */
  esbuild: string;
  entry: string;
  /** The package root: esbuild's working directory. */
  root: string;
  format: 'cjs' | 'esm';
  /**
   * The context's output file. Each build's output is written to the file the build command names,
   * which must have the same name at the same depth, so the source map's relative paths hold.
   */
  outfile: string;
  /** Bare imports resolved to a file when the project does not have them (`@hotreload/node`). */
  fallbacks: Record<string, string>;
  /** Files whose change makes a new context (package.json, tsconfig.json). */
  configFiles: string[];
}

export type WorkerCommand = { op: 'build'; id: number; out: string } | { op: 'cancel' };

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
