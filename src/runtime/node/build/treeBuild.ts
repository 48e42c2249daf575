import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildContext, BuildOptions, Message, Metafile, OutputFile as EsbuildOutput, ResolveResult } from 'esbuild';
import type { DecoratorMetadata } from './decorators';
import { treeImports } from './externals';
import { isCode, treeFolder, treePath } from './layout';
import type { TreeLayout, WorkerConfig } from './protocol';
import { writeTree, linkMain, type OutputFile } from './treeWriter';

type Esbuild = typeof import('esbuild');
type Context = BuildContext<{ metafile: true; write: false }>;
type Format = 'cjs' | 'esm';

/** How many times a build may grow its sources by files its imports reach (a workspace package's, level by level). */
const MAX_ROUNDS = 20;

export interface TreeResult {
  inputs: string[];
  warnings: Message[];
}

/** A build that failed, with esbuild's messages. */
export class TreeBuildFailure extends Error {
  constructor(
    readonly errors: Message[],
    readonly warnings: Message[],
  ) {
    super(errors[0]?.text ?? 'build failed');
  }
}

const CANCELLED: Message = { id: '', pluginName: '', text: 'The build was cancelled', location: null, notes: [], detail: undefined };

/** In CommonJS output, `import.meta` means the module's own file, as it does in an ES module. */
const CJS_IMPORT_META: Pick<BuildOptions, 'banner' | 'define'> = {
  banner: { js: 'var __hotreload_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__hotreload_import_meta_url', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
};

/**
 * A program built as a tree of modules, one per source, mirroring the project (see layout.ts):
 * the sources are grouped by the module format Node will load them in (`.mts`, `.cts`, and the
 * nearest package.json's `type`), each group one incremental esbuild context. Contexts are made
 * again when the sources, the layout or a config file change. Code an import reaches that is not a
 * source yet (a linked workspace package's TypeScript) becomes one, and the build runs again.
 */
export class TreeBuild {
  private contexts = new Map<string, Context>();
  private key = '';
  /** Files imports reached beyond the engine's sources, kept as sources while they exist. */
  private readonly reached = new Set<string>();
  private cancelled = false;
  /** What the build under way reached beyond its sources. */
  private readonly reachedNow = new Set<string>();
  private readonly packageTypes = new Map<string, Format>();
  private readonly resolved = new Map<string, ResolveResult>();

  constructor(
    private readonly esbuild: Esbuild,
    private readonly config: WorkerConfig,
    private readonly decorators: DecoratorMetadata,
  ) {}

  /** Cancels the build under way: its contexts stop, and it ends as cancelled whatever they gave. */
  cancel(): void {
    this.cancelled = true;
    for (const context of this.contexts.values()) void context.cancel();
  }

  async build(sources: readonly string[], layout: TreeLayout, out: string, main: string | undefined): Promise<TreeResult> {
    this.cancelled = false;
    for (const file of this.reached) if (!fs.existsSync(file)) this.reached.delete(file);
    for (let round = 0; ; round++) {
      const entries = new Set([...sources, ...this.reached].filter((f) => isCode(f) && treePath(layout, f) !== undefined));
      this.reachedNow.clear();
      const results = await this.rebuild(entries, layout);
      if (this.cancelled) throw new TreeBuildFailure([CANCELLED], []);
      if (this.reachedNow.size > 0 && round < MAX_ROUNDS) {
        for (const file of this.reachedNow) this.reached.add(file);
        continue;
      }
      const tree = treeFolder(path.dirname(out), layout);
      const placeholder = treeFolder(this.config.outdir, layout);
      const outputs: OutputFile[] = results.flatMap((r) =>
        r.outputFiles.map((f: EsbuildOutput) => ({ path: path.relative(placeholder, f.path), contents: f.contents })),
      );
      if (outputs.length === 0) throw new Error(`no sources to build in ${this.config.root} (tsconfig's include, or the entry)`);
      writeTree(tree, layout, outputs);
      const mainPath = main ? treePath(layout, main) : undefined;
      linkMain(out, mainPath ? path.join(tree, mainPath) : tree);
      return {
        inputs: [...new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)))].map((f) => path.resolve(this.config.root, f)),
        warnings: results.flatMap((r) => r.warnings),
      };
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.contexts.values()].map((c) => c.dispose()));
    this.contexts.clear();
  }

  private async rebuild(entries: Set<string>, layout: TreeLayout): Promise<{ outputFiles: EsbuildOutput[]; metafile: Metafile; warnings: Message[] }[]> {
    const groups = this.group(entries);
    const stamp = this.config.configFiles.map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0).join(',');
    const key = JSON.stringify([stamp, layout, [...groups].map(([k, files]) => [k, files])]);
    if (key !== this.key) {
      await this.dispose();
      this.packageTypes.clear();
      this.resolved.clear();
      this.decorators.forgetConfig();
      this.key = key;
      for (const [groupKey, files] of groups) this.contexts.set(groupKey, await this.context(groupKey, files, entries, layout));
    }
    const settled = await Promise.allSettled([...this.contexts.values()].map((c) => c.rebuild()));
    const errors: Message[] = [];
    const warnings: Message[] = [];
    for (const s of settled) {
      if (s.status === 'fulfilled') continue;
      const failure = s.reason as { errors?: Message[]; warnings?: Message[] };
      if (!Array.isArray(failure.errors)) throw s.reason;
      errors.push(...failure.errors);
      warnings.push(...(failure.warnings ?? []));
    }
    if (errors.length > 0) throw new TreeBuildFailure(errors, warnings);
    return settled.map((s) => (s as PromiseFulfilledResult<{ outputFiles: EsbuildOutput[]; metafile: Metafile; warnings: Message[] }>).value);
  }

  private async context(groupKey: string, files: string[], entries: Set<string>, layout: TreeLayout): Promise<Context> {
    const [format, extension] = groupKey.split(' ') as [Format, string];
    return this.esbuild.context({
      entryPoints: files.map((file) => {
        const placed = treePath(layout, file)!;
        return { in: file, out: placed.slice(0, placed.length - extension.length) };
      }),
      absWorkingDir: this.config.root,
      outdir: treeFolder(this.config.outdir, layout),
      outExtension: { '.js': extension },
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node}`,
      format,
      sourcemap: 'linked',
      keepNames: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
      ...(format === 'cjs' ? CJS_IMPORT_META : {}),
      plugins: [
        this.decorators.plugin(),
        treeImports({ layout, format, fallbacks: this.config.fallbacks, entries, reached: (file) => this.reachedNow.add(file), resolved: this.resolved }),
      ],
    });
  }

  /** Sources by `<format> <extension>`: each group is one context (esbuild has one format and one extension per build). */
  private group(entries: Set<string>): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const file of [...entries].sort()) {
      const ext = path.extname(file).toLowerCase();
      const extension = ext === '.mts' || ext === '.mjs' ? '.mjs' : ext === '.cts' || ext === '.cjs' ? '.cjs' : '.js';
      const format: Format = extension === '.mjs' ? 'esm' : extension === '.cjs' ? 'cjs' : this.packageType(path.dirname(file));
      const key = `${format} ${extension}`;
      groups.set(key, [...(groups.get(key) ?? []), file]);
    }
    return groups;
  }

  /** The `type` of the package.json nearest to `dir`: how Node loads its `.js` files. */
  private packageType(dir: string): Format {
    const known = this.packageTypes.get(dir);
    if (known) return known;
    let type: Format = 'cjs';
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      type = manifest.type === 'module' ? 'esm' : 'cjs';
    } catch (err) {
      const parent = path.dirname(dir);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && parent !== dir) type = this.packageType(parent);
    }
    this.packageTypes.set(dir, type);
    return type;
  }
}
