import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lowestPriority } from '../../processes/backgroundPriority';
import { runCommand } from '../../processes/runCommand';
import type { EditorBuffers } from '../language';

/** The files a Go build reads that an editor may hold unsaved. */
export const GO_BUFFER_GLOBS: readonly string[] = ['**/*.go'];

/**
 * Go's unsaved buffers: `.go` files, formatted as format-on-save would (gofmt, what gopls and the
 * Go extension run on save), so that a build made before the save is the one the save asks for.
 */
export class GoBuffers implements EditorBuffers {
  readonly globs = GO_BUFFER_GLOBS;
  private gofmt: Promise<string> | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  accepts(file: string): boolean {
    return file.endsWith('.go');
  }

  async format(file: string, content: Buffer, signal: AbortSignal): Promise<Buffer | undefined> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotreload-fmt-'));
    try {
      const copy = path.join(dir, path.basename(file));
      fs.writeFileSync(copy, content);
      const [command, args] = lowestPriority(await this.gofmtPath(), ['-w', copy]);
      const result = await runCommand(command, args, { cwd: dir, env: this.env, signal });
      // Not Go yet (a syntax error mid-edit), or no gofmt: the text as it is.
      return result.code === 0 ? fs.readFileSync(copy) : undefined;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The toolchain's own gofmt (GOROOT/bin), as `go` finds it; asked once. */
  private gofmtPath(): Promise<string> {
    this.gofmt ??= runCommand('go', ['env', 'GOROOT'], { cwd: os.tmpdir(), env: this.env }).then((r) => {
      const candidate = r.code === 0 ? path.join(r.output.trim(), 'bin', process.platform === 'win32' ? 'gofmt.exe' : 'gofmt') : '';
      return candidate && fs.existsSync(candidate) ? candidate : 'gofmt';
    });
    return this.gofmt;
  }
}
