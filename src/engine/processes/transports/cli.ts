import { execFile } from 'node:child_process';

/** Runs a client tool (docker, ssh) to the end: its output, or a sentence that says why it failed. */
export function runTool(command: string, args: string[], options: { input?: Buffer; timeoutMs?: number; what?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: options.timeoutMs ?? 30_000, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} is not installed (not on the PATH)` : stderr.trim() || err.message;
      reject(new Error(`${options.what ?? `${command} ${args.slice(0, 2).join(' ')}`}: ${why}`));
    });
    child.stdin?.on('error', () => undefined);
    if (options.input) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
