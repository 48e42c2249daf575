/** A problem found in the user's program: a build error, a go.mod error, a panic or an uncaught exception site. */
export interface Diagnostic {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line; 0 when the tool gave none (the problem is about the whole file). */
  line: number;
  /** 1-based column; 0 when the tool gave none. */
  column: number;
  severity: 'error' | 'warning';
  message: string;
  /** Which tool said it. */
  source: 'go build' | 'go.mod' | 'panic' | 'build command' | 'esbuild' | 'exception' | 'proxy';
  /** Other places the message refers to: "other declaration of x", a panic's stack frames. */
  related: RelatedLocation[];
}

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  message: string;
}
