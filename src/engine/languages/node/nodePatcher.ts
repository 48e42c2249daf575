import * as path from 'node:path';
import { pruneFolder } from '../../kernel/pruneFolder';
import type { ChangedFile } from '../../kernel/events';
import type { Settings } from '../../settings/types';
import type { PatchBuild, Patcher, PatchUnit } from '../language';
import { bundleFailure } from './buildMessages';
import type { Bundler } from './bundler';
import { configFiles } from './nodeBuilder';

/** A Node program is one unit: the whole bundle, loaded into the slot its preloaded hook serves. */
const NODE_SLOT = 'app';

/**
 * Node's in-place patches: the session's esbuild context builds the change into a fresh bundle
 * under `<workDir>/patches`, which the program's preloaded hook loads, keeping its server and
 * swapping in the new request handlers. A change to package.json or tsconfig.json is not patched:
 * it may change how everything is built or run.
 */
export class NodePatcher implements Patcher {
  /** Nothing is built beside a full build: the bundle is the program. */
  readonly units: readonly PatchUnit[] = [];
  readonly unsupported = undefined;
  private readonly dir: string;
  private readonly configFiles: Set<string>;
  private attempt = 0;

  constructor(
    private readonly settings: Settings,
    private readonly bundler: Bundler,
    private readonly fileName: string,
  ) {
    this.dir = path.join(settings.workDir, 'patches');
    this.configFiles = configFiles(settings.moduleRoot);
  }

  describe(): string {
    return 'patch: each change is built and loaded into the running process, whose server keeps its socket and takes the new request handlers; values made with keep() survive';
  }

  unitName(): string {
    return 'the new version';
  }

  plan(changes: ChangedFile[]): { units: PatchUnit[] } | { reason: string } {
    if (this.settings.command)
      return { reason: `the run command (${this.settings.command}) starts the program, so only a new process can run a new version of it` };
    const config = changes.find((c) => this.configFiles.has(c.path));
    if (config) return { reason: `${path.basename(config.path)} changed` };
    return { units: [{ slot: NODE_SLOT, dir: this.settings.moduleRoot }] };
  }

  async build(units: readonly PatchUnit[], signal: AbortSignal): Promise<PatchBuild> {
    if (units.length === 0) return { kind: 'ok', files: new Map() };
    const file = path.join(this.dir, `p${++this.attempt}`, this.fileName);
    const result = await this.bundler.build(file, signal);
    if (result.kind === 'cancelled') return result;
    if (result.kind === 'failed') {
      return { kind: 'failed', ...bundleFailure(result.messages, result.error, this.settings.entry || this.settings.moduleRoot) };
    }
    return { kind: 'ok', files: new Map([[NODE_SLOT, file]]) };
  }

  /** Deletes built patches no longer loaded; the newest attempt's folder stays (it may be loading). */
  prune(keep: ReadonlySet<string>): void {
    // The folder of the bundle under way stays too.
    pruneFolder(this.dir, new Set([...[...keep].map((f) => path.dirname(f)), path.join(this.dir, `p${this.attempt}`)]));
  }
}
