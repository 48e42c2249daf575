import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as net from 'node:net';
import type { LiveServer } from './liveServer';
import type { VersionTimers } from './timers';
import { versionContext } from './versions';

/** How long a new version may take, once loaded, to call listen on the public port. */
const LISTEN_WAIT_MS = 5000;

interface Loading {
  version: number;
  found(server: net.Server): void;
}

/**
 * Loads a new build of the program into the running process and swaps the live server's handlers
 * to the ones it makes. The new build runs from its first line, as a fresh start would; its call
 * to listen on the public port is where its server is taken (it never listens itself). Anything
 * that stops a clean swap (an exception, no listen, a server made with other options) leaves the
 * running version as it was, with what the new one started cleared, and says why.
 */
export class Swapper {
  private loading: Loading | undefined;

  constructor(
    private readonly live: () => LiveServer | undefined,
    private readonly timers: VersionTimers,
  ) {}

  /** The server a loading version asked to listen on the public port; false when nothing is loading. */
  offer(server: net.Server): boolean {
    if (!this.loading) return false;
    this.loading.found(server);
    return true;
  }

  /** Loads `file` as `version`; undefined when its handlers serve, else why not. */
  async load(file: string, version: number): Promise<string | undefined> {
    const live = this.live();
    if (!live) return 'the program has not listened on the public port yet';
    if (!path.isAbsolute(file)) return `bundle path ${JSON.stringify(file)} is not absolute`;
    if (this.loading) return 'another version is loading';
    let found!: (server: net.Server | undefined) => void;
    const candidate = new Promise<net.Server | undefined>((resolve) => (found = resolve));
    this.loading = { version, found };
    const failedLoads: unknown[] = [];
    const onRejection = (reason: unknown) => failedLoads.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await versionContext.run({ version, phase: 'load' }, () => importBundle(file));
      const timer = setTimeout(() => found(undefined), LISTEN_WAIT_MS);
      const server = await candidate;
      clearTimeout(timer);
      if (failedLoads.length > 0) return this.fail(version, `loading it rejected: ${describe(failedLoads[0])}`);
      if (!server) return this.fail(version, `the new version did not listen on the public port within ${LISTEN_WAIT_MS / 1000} s`);
      const why = live.incompatibility(server);
      if (why) return this.fail(version, why);
      live.swap(server, version);
      this.timers.clearBefore(version);
      return undefined;
    } catch (err) {
      return this.fail(version, `loading it threw ${describe(err)}`);
    } finally {
      this.loading = undefined;
      process.off('unhandledRejection', onRejection);
    }
  }

  private fail(version: number, why: string): string {
    this.timers.clearVersion(version);
    return why;
  }
}

/** CommonJS bundles are required (and dropped from the cache: nothing needs them by name again); ES modules imported. */
async function importBundle(file: string): Promise<void> {
  if (file.endsWith('.mjs')) {
    await import(pathToFileURL(file).href);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(file);
  delete require.cache[file];
}

/** An error as its message and the first frame of its (source-mapped) stack. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const frame = err.stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  return `${err.name}: ${err.message}${frame ? ` (${frame.trim()})` : ''}`;
}
