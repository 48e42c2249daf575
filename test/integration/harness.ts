import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSession, type EngineEvent, type PartialSettings, type Session, type SessionOptions } from '../../src/engine';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A private copy of an example, so a test can edit it freely. */
export function copyExample(name: string, into?: string): string {
  const dir = into ?? fs.mkdtempSync(path.join(os.tmpdir(), `hr-${name}-`));
  fs.cpSync(path.join(repoRoot, 'examples', name), dir, { recursive: true });
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export function httpGet(port: number, urlPath = '/', timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Polls until `fn` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(
    `timed out waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}`,
  );
}

/** A session under test with every event it fired recorded. */
export class TestSession {
  readonly events: EngineEvent[] = [];
  output = '';

  constructor(readonly session: Session) {
    session.events.on((event) => {
      this.events.push(event);
      if (event.type === 'output') this.output += event.data;
      if (process.env.HR_TEST_VERBOSE && event.type !== 'output') console.error(JSON.stringify(event));
    });
  }

  static async open(dir: string, layer: PartialSettings, options: SessionOptions = {}): Promise<TestSession> {
    const { session, problems } = await openSession(dir, [{ debounceMs: 20, gracePeriodMs: 2000, ...layer }], options);
    if (!session) throw new Error(`session did not open: ${JSON.stringify(problems)}`);
    return new TestSession(session);
  }

  reports() {
    return this.events.flatMap((e) => (e.type === 'reload' ? [e.report] : []));
  }

  /** Waits for the n-th reload report (1-based) and returns it. */
  async report(n: number, timeoutMs = 60000) {
    return eventually(
      `reload report #${n} (have ${this.reports()
        .map((r) => r.outcome)
        .join(', ')})`,
      () => this.reports()[n - 1],
      timeoutMs,
    );
  }

  lastDiagnostics() {
    const events = this.events.filter((e) => e.type === 'diagnostics');
    const last = events[events.length - 1];
    return last && last.type === 'diagnostics' ? last.diagnostics : [];
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

/** Writes a file the way editors do it safely: a temp file renamed over the original. */
export function atomicWrite(file: string, content: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.swp-${process.pid}`);
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

export function setGreeting(dir: string, text: string): void {
  fs.writeFileSync(
    path.join(dir, 'greeting.go'),
    `package main\n\n// greeting is what the service answers; edit it and save to see a reload.\nfunc greeting() string {\n\treturn ${JSON.stringify(text)}\n}\n`,
  );
}

/**
 * Last-resort cleanup for tests that kill an engine on purpose: SIGKILLs every
 * process whose command line mentions `dir` (the programs built under it), so
 * a failing test leaves nothing running on the machine.
 */
export function killProcessesUnder(dir: string): void {
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(dir)) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

/**
 * Puts a `go` first on the PATH that runs `shellBefore`, then the real go.
 * Returns what restores the PATH.
 */
export function wrapGo(shellBefore: string): () => void {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hr-go-'));
  fs.writeFileSync(path.join(bin, 'go'), `#!/bin/sh\n${shellBefore}\nexec "${findOnPath('go')}" "$@"\n`, { mode: 0o755 });
  const saved = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${saved}`;
  return () => {
    process.env.PATH = saved;
  };
}

export function findOnPath(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const full = path.join(dir, name);
    if (fs.existsSync(full)) return fs.realpathSync(full);
  }
  throw new Error(`${name} not on PATH`);
}
