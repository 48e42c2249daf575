import * as path from 'node:path';
import type { DecoratorCompiler } from './protocol';

/** One file compiled: JavaScript (ES modules kept) with its source map inlined. */
type Compiled = { ok: true; code: string } | { ok: false; error: string; line?: number; column?: number };

/** The tsconfig options that change how decorators and class fields are emitted. */
interface CompileOptions {
  /** tsconfig's compilerOptions, as get-tsconfig resolved them (extends followed, implied values filled in). */
  compilerOptions: Record<string, unknown>;
}

export interface Compiler {
  readonly name: string;
  compile(file: string, source: string, options: CompileOptions): Promise<Compiled>;
}

/** The part of @swc/core used (its own types ship with it, and it is the project's or the cache's, not ours). */
interface Swc {
  transform(source: string, options: Record<string, unknown>): Promise<{ code: string; map?: string }>;
}
type TypeScript = typeof import('typescript');

/** Loads the compiler the engine found (the project's or the cached one): SWC, else TypeScript's transpileModule. */
export function loadCompiler(found: DecoratorCompiler): Compiler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module: unknown = require(found.path);
  return found.kind === 'swc' ? swcCompiler(module as Swc, found.version) : typescriptCompiler(module as TypeScript, found.version);
}

/** tsc's default for useDefineForClassFields: on from ES2022 (and ESNext) targets. */
function defineClassFields(options: Record<string, unknown>): boolean {
  if (typeof options.useDefineForClassFields === 'boolean') return options.useDefineForClassFields;
  const target = typeof options.target === 'string' ? options.target.toLowerCase() : 'es5';
  return target === 'esnext' || (/^es(\d{4})$/.test(target) && Number(target.slice(2)) >= 2022);
}

function inlineMap(code: string, map: string | undefined): string {
  return map ? `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n` : code;
}

/** SWC's TypeScript transform as `nest start -b swc` configures it: legacy decorators with metadata, ES modules kept. */
function swcCompiler(swc: Swc, version: string): Compiler {
  return {
    name: `SWC ${version}`,
    async compile(file, source, { compilerOptions }) {
      try {
        const result = await swc.transform(source, {
          filename: file,
          sourceMaps: true,
          inlineSourcesContent: true,
          swcrc: false,
          configFile: false,
          jsc: {
            parser: { syntax: 'typescript', tsx: file.endsWith('.tsx'), decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: defineClassFields(compilerOptions) },
            target: 'es2022',
            keepClassNames: true,
          },
        });
        return { ok: true, code: inlineMap(result.code, result.map) };
      } catch (err) {
        return { ok: false, error: String((err as Error).message ?? err) };
      }
    },
  };
}

/** TypeScript's own transpileModule with the project's options, ES modules kept. */
function typescriptCompiler(ts: TypeScript, version: string): Compiler {
  return {
    name: `TypeScript ${version}`,
    compile(file, source, { compilerOptions }) {
      const { options } = ts.convertCompilerOptionsFromJson(
        { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler', declaration: false, composite: false, incremental: false, noEmit: false },
        path.dirname(file),
      );
      const result = ts.transpileModule(source, {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: {
          ...options,
          sourceMap: false,
          inlineSourceMap: true,
          inlineSources: true,
          emitDecoratorMetadata: true,
          experimentalDecorators: true,
        },
      });
      const error = result.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
      if (error) {
        const at = error.file && error.start !== undefined ? error.file.getLineAndCharacterOfPosition(error.start) : undefined;
        return Promise.resolve({
          ok: false,
          error: ts.flattenDiagnosticMessageText(error.messageText, '\n'),
          line: at ? at.line + 1 : undefined,
          column: at ? at.character + 1 : undefined,
        });
      }
      return Promise.resolve({ ok: true, code: result.outputText });
    },
  };
}
