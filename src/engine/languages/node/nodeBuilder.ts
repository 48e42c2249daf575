import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from '../../settings/types';
import type { Builder, BuildOutcome } from '../builder';
import { bundleFailure } from './buildMessages';
import type { Bundler } from './bundler';
import { readSourceSet, type SourceSet } from './sourceSet';

/** Sources esbuild reads: a change to one it did not read is no reason to build. */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json)$/i;
/** Files that change how everything is built. */
const CONFIG_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** package.json and the tsconfig files of a package: any change to one may change every module. */
export function configFiles(packageRoot: string): Set<string> {
  return new Set(CONFIG_FILES.map((f) => path.join(packageRoot, f)));
}

/**
 * Builds a Node program with the session's esbuild contexts into the versioned artifact's folder:
 * the tree of modules, and the artifact (`<name>.cjs` or `.mjs`) a link to the entry's module. The
 * last good build's inputs decide which saved sources count, and a new file that would be a source
 * (tsconfig's `include`) counts too; after a failed build every source does, since the fix may be
 * a file it could not read yet.
 */
export class NodeBuilder implements Builder {
  private readonly configFiles: Set<string>;

  constructor(
    private readonly settings: Settings,
    private readonly bundler: Bundler,
    /** The artifact's file name, the same for every build. */
    private readonly fileName: string,
  ) {
    this.configFiles = configFiles(settings.moduleRoot);
  }

  describe(): string {
    if (!this.settings.entry)
      return `esbuild ${path.relative(this.settings.root, this.settings.moduleRoot) || '.'} (every source), then ${this.settings.command}`;
    return `esbuild ${path.relative(this.settings.root, this.settings.entry) || this.settings.entry}`;
  }

  async build(outFile: string, signal: AbortSignal): Promise<BuildOutcome> {
    const file = path.join(path.dirname(outFile), this.fileName);
    const result = await this.bundler.build(file, signal);
    if (result.kind === 'cancelled') return result;
    if (result.kind === 'failed') {
      return { kind: 'failed', output: result.error ?? '', ...bundleFailure(result.messages, result.error, this.settings.entry || this.settings.moduleRoot) };
    }
    const warnings = result.warnings.map((w) => `${w.file ? `${path.relative(this.settings.root, w.file)}:${w.line}:${w.column}: ` : ''}warning: ${w.text}`);
    return { kind: 'ok', file, output: warnings.join('\n') };
  }

  watches(file: string): boolean {
    const inputs = this.bundler.inputs;
    if (!inputs || !SOURCE_FILE.test(file)) return true;
    if (inputs.has(file) || this.configFiles.has(file) || this.bundler.sources?.matches(file)) return true;
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

/**
 * No build: the run command's runner compiles the TypeScript it names itself (`tsx src/app.ts`).
 * Each build writes a small note as the artifact (the session keeps one per version), and the
 * sources tsc would compile, with package.json and tsconfig, are what reload it.
 */
export class RunnerBuilder implements Builder {
  private sources: SourceSet;
  private readonly configFiles: Set<string>;

  constructor(private readonly settings: Settings) {
    this.sources = readSourceSet(settings.moduleRoot);
    this.configFiles = configFiles(settings.moduleRoot);
  }

  describe(): string {
    return `no build: ${this.settings.command} compiles the TypeScript it runs`;
  }

  build(outFile: string): Promise<BuildOutcome> {
    this.sources = readSourceSet(this.settings.moduleRoot);
    fs.writeFileSync(outFile, `${this.settings.command}\n`, { mode: 0o600 });
    return Promise.resolve({ kind: 'ok', file: outFile, output: '' });
  }

  watches(file: string): boolean {
    return this.configFiles.has(file) || this.sources.matches(file) || !SOURCE_FILE.test(file);
  }
}
