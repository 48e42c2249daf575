/**
 * What the integration tests share: a session on a real program with every event it fired
 * recorded, and the edits they make to the example programs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSession, type EngineEvent, type PartialSettings, type ReloadReport, type Session, type SessionOptions } from '../../src/engine';
import { freePort } from '../support/ports';
import { eventually } from '../support/waiting';

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
      () =>
        `reload report #${n} (have ${this.reports()
          .map((r) => r.outcome)
          .join(', ')})`,
      () => this.reports()[n - 1],
      { timeoutMs },
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

/**
 * A started session on `dir` whose program gets a free port as PORT (added to `layer.env`): the
 * session, the port, and the report of the first build. The caller disposes the session.
 */
export async function startSession(
  dir: string,
  layer: PartialSettings = {},
  options: SessionOptions = {},
): Promise<{ t: TestSession; port: number; first: ReloadReport }> {
  const port = await freePort();
  const t = await TestSession.open(dir, { ...layer, env: { PORT: String(port), ...layer.env } }, options);
  try {
    await t.session.start();
    return { t, port, first: await t.report(1) };
  } catch (err) {
    await t.dispose();
    throw err;
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
