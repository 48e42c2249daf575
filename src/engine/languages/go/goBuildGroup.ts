import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessHost } from '../../processes/processHost';
import { runCommand, type CommandResult } from '../../processes/runCommand';
import type { BuildGroup } from '../builder';

/** One service's build, waiting to run with the others. */
export interface GroupedBuild {
  /** The main package, as go build takes it (`./cmd/api`). */
  pkg: string;
  outFile: string;
  flags: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  host?: ProcessHost;
  signal: AbortSignal;
}

/** What the one go build did for one of its packages. */
export interface GroupedRun {
  result: CommandResult;
  /** Where its executable is now (its outFile), when go build made it: the others' errors do not fail it. */
  file: string | undefined;
  /** Every package the invocation built. */
  together: readonly string[];
}

interface Waiting extends GroupedBuild {
  resolve(run: GroupedRun): void;
}

/**
 * Several services' Go builds as one `go build -o <dir>/ ./cmd/a ./cmd/b`: the packages they share
 * compile once, and the link steps run side by side. The system says how many builds the open
 * transaction still expects; a build that comes while others are expected waits for them, and the
 * group runs once every expected build has come (builds with other flags or environment run as
 * another invocation beside it). Each executable is moved to its build's own versioned file.
 */
export class GoBuildGroup implements BuildGroup {
  private expected = 0;
  private waiting: Waiting[] = [];
  private runs = 0;

  expect(count: number): void {
    this.expected = count;
    this.flush();
  }

  /** The build's run with the others, or undefined when it runs alone (nothing else expected, or its name would clash). */
  build(request: GroupedBuild): Promise<GroupedRun> | undefined {
    if (!groupable(request.pkg) || (this.expected <= 1 && this.waiting.length === 0)) return undefined;
    return new Promise((resolve) => {
      const waiting: Waiting = { ...request, resolve };
      this.waiting.push(waiting);
      request.signal.addEventListener(
        'abort',
        () => {
          if (!this.waiting.includes(waiting)) return;
          this.waiting = this.waiting.filter((w) => w !== waiting);
          resolve({ result: { code: null, signal: null, output: '', cancelled: true }, file: undefined, together: [] });
          this.flush();
        },
        { once: true },
      );
      this.flush();
    });
  }

  private flush(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.expected) return;
    const batch = this.waiting;
    this.waiting = [];
    const buckets: { key: string; builds: Waiting[] }[] = [];
    for (const w of batch) {
      const key = JSON.stringify([w.cwd, w.flags, w.env.CGO_ENABLED, w.env.GOOS, w.env.GOARCH, w.env.GOFLAGS]);
      // Two packages go build would name alike cannot share its output folder.
      const bucket = buckets.find((b) => b.key === key && !b.builds.some((o) => exeName(o.pkg) === exeName(w.pkg)));
      if (bucket) bucket.builds.push(w);
      else buckets.push({ key, builds: [w] });
    }
    for (const bucket of buckets) void this.run(bucket.builds);
  }

  private async run(bucket: Waiting[]): Promise<void> {
    const [first] = bucket;
    const dir = path.join(path.dirname(first.outFile), `group-${process.pid}-${++this.runs}`);
    fs.mkdirSync(dir, { recursive: true });
    const packages = bucket.map((w) => w.pkg);
    // Cancelled only when every build in it is.
    const controller = new AbortController();
    const cancelled = () => bucket.every((w) => w.signal.aborted) && controller.abort();
    for (const w of bucket) w.signal.addEventListener('abort', cancelled, { once: true });
    const result = await runCommand('go', ['build', '-o', `${dir}${path.sep}`, ...first.flags, ...packages], {
      cwd: first.cwd,
      env: first.env,
      signal: controller.signal,
      host: first.host,
    });
    for (const w of bucket) {
      w.signal.removeEventListener('abort', cancelled);
      w.resolve({ result, file: moveOut(path.join(dir, exeName(w.pkg)), w.outFile), together: packages });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The name go build gives a main package's executable in an output folder: its import path's last element. */
function exeName(pkg: string): string {
  return path.posix.basename(pkg.replace(/\\/g, '/').replace(/\/+$/, ''));
}

/** Packages whose executable's name is plain from the path: not ".", not a major-version suffix, not a pattern. */
function groupable(pkg: string): boolean {
  const name = exeName(pkg);
  return pkg !== '.' && name !== '' && name !== '.' && name !== '..' && !/^v\d+$/.test(name) && !pkg.includes('...');
}

function moveOut(made: string, outFile: string): string | undefined {
  try {
    fs.renameSync(made, outFile);
    return outFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') return undefined;
    fs.copyFileSync(made, outFile);
    fs.chmodSync(outFile, 0o755);
    return outFile;
  }
}
