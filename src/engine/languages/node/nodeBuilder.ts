import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from '../../settings/types';
import type { Builder, BuildOutcome } from '../builder';
import { bundleFailure } from './buildMessages';
import type { Bundler } from './bundler';

/** Sources esbuild reads: a change to one it did not read is no reason to build. */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json)$/i;

/**
 * Builds a Node program with the session's esbuild context into the versioned artifact's folder
 * (`<name>.cjs` or `.mjs` beside its source map). The last good build's inputs decide which saved
 * sources count; after a failed build every source does, since the fix may be a file it could not
 * read yet.
 */
export class NodeBuilder implements Builder {
  private readonly configFiles: Set<string>;

  constructor(
    private readonly settings: Settings,
    private readonly bundler: Bundler,
    /** The artifact's file name, the same for every build (the source map refers to it). */
    private readonly fileName: string,
  ) {
    this.configFiles = new Set(['package.json', 'tsconfig.json'].map((f) => path.join(settings.moduleRoot, f)));
  }

  describe(): string {
    return `esbuild ${path.relative(this.settings.root, this.settings.entry) || this.settings.entry}`;
  }

  async build(outFile: string, signal: AbortSignal): Promise<BuildOutcome> {
    const file = path.join(path.dirname(outFile), this.fileName);
    const result = await this.bundler.build(file, signal);
    if (result.kind === 'cancelled') return result;
    if (result.kind === 'failed') {
      return { kind: 'failed', output: result.error ?? '', ...bundleFailure(result.messages, result.error, this.settings.entry) };
    }
    const warnings = result.warnings.map((w) => `${w.file ? `${path.relative(this.settings.root, w.file)}:${w.line}:${w.column}: ` : ''}warning: ${w.text}`);
    return { kind: 'ok', file, output: warnings.join('\n') };
  }

  watches(file: string): boolean {
    const inputs = this.bundler.inputs;
    if (!inputs || !SOURCE_FILE.test(file)) return true;
    if (inputs.has(file) || this.configFiles.has(file)) return true;
    try {
      return inputs.has(fs.realpathSync(file));
    } catch {
      return false; // deleted, and not an input by this name
    }
  }

  dispose(): Promise<void> {
    this.bundler.dispose();
    return Promise.resolve();
  }
}
