import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Loader, OnLoadResult, PartialMessage, Plugin } from 'esbuild';
import { getTsconfig } from 'get-tsconfig';
import { loadCompiler, type Compiler } from './compilers';
import type { DecoratorCompiler } from './protocol';

/** A cheap test before compiling: a file with no `@` has no decorator. */
const MAY_DECORATE = /@[\p{L}_$]/u;

/**
 * esbuild emits no decorator metadata, which dependency injection reads (NestJS's constructor
 * injection, TypeORM's column types). When a file's tsconfig asks for it (`emitDecoratorMetadata`
 * with `experimentalDecorators`, `extends` followed), a file that may use decorators is compiled
 * first by a compiler that emits it (SWC, else TypeScript's transpileModule), and esbuild takes the
 * JavaScript and its source map from there, so stacks still point at the TypeScript lines. A file
 * the compiler rejects goes to esbuild as it is, which reports the syntax error at its line.
 * Results are kept per file until its text changes.
 */
export class DecoratorMetadata {
  private compiler: Compiler | undefined;
  private loadError: string | undefined;
  private readonly options = new Map<string, Record<string, unknown> | undefined>();
  private readonly cache = new Map<string, { source: string; result: OnLoadResult }>();
  private warnedMissing = false;

  constructor(
    private readonly found: DecoratorCompiler | undefined,
    /** Why none was found, when the engine knows. */
    private readonly missing?: string,
  ) {}

  /** tsconfig may have changed: read it again (compiled files stay cached by their text). */
  forgetConfig(): void {
    this.options.clear();
  }

  plugin(): Plugin {
    return {
      name: 'hotreload-decorator-metadata',
      setup: (build) => {
        build.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => (args.namespace === 'file' ? this.load(args.path) : undefined));
      },
    };
  }

  private async load(file: string): Promise<OnLoadResult | undefined> {
    if (/\.d\.[cm]?ts$/.test(file)) return undefined;
    const compilerOptions = this.optionsFor(path.dirname(file));
    if (!compilerOptions?.emitDecoratorMetadata || !compilerOptions.experimentalDecorators) return undefined;
    const source = await fs.promises.readFile(file, 'utf8');
    if (!MAY_DECORATE.test(source)) return undefined;
    const cached = this.cache.get(file);
    if (cached?.source === source) return cached.result;
    const compiler = this.compilerOrWhyNot();
    if (typeof compiler === 'string') return this.unchanged(file, source, this.warnedMissing ? [] : ((this.warnedMissing = true), [{ text: compiler }]));
    const compiled = await compiler.compile(file, source, { compilerOptions });
    const result = compiled.ok
      ? { contents: compiled.code, loader: 'js' as Loader, resolveDir: path.dirname(file) }
      : this.unchanged(file, source, [
          {
            text: `${compiler.name} could not compile this file for decorator metadata: ${compiled.error.split('\n')[0]}`,
            location: compiled.line ? { file, line: compiled.line, column: (compiled.column ?? 1) - 1 } : undefined,
          },
        ]);
    this.cache.set(file, { source, result });
    return result;
  }

  /** The file for esbuild itself: it reports what is wrong with it, at its line. */
  private unchanged(file: string, source: string, warnings: PartialMessage[]): OnLoadResult {
    return { contents: source, loader: file.endsWith('x') ? 'tsx' : 'ts', resolveDir: path.dirname(file), warnings };
  }

  private compilerOrWhyNot(): Compiler | string {
    if (this.compiler) return this.compiler;
    if (!this.found)
      return (this.loadError ??= `decorators run without metadata, so dependency injection by type gets nothing: ${
        this.missing ?? 'tsconfig asks for emitDecoratorMetadata, and no compiler that emits it was found (@swc/core or typescript in the project)'
      }`);
    if (this.loadError) return this.loadError;
    try {
      this.compiler = loadCompiler(this.found);
      return this.compiler;
    } catch (err) {
      return (this.loadError = `cannot load ${this.found.kind} from ${this.found.path} for decorator metadata: ${(err as Error).message}`);
    }
  }

  private optionsFor(dir: string): Record<string, unknown> | undefined {
    if (this.options.has(dir)) return this.options.get(dir);
    const found = getTsconfig(dir);
    const options = found?.config.compilerOptions as Record<string, unknown> | undefined;
    this.options.set(dir, options);
    return options;
  }
}
