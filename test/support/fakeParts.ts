/**
 * Fakes for the session's injected parts: a builder and a strategy the test drives step by step,
 * programs that exit when told, and a clock the test moves. With them the session's state machine
 * runs without Go, any real process or any real wait.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineEvent, Settings } from '../../src/engine';
import { Session } from '../../src/engine/session/session';
import type { Artifact } from '../../src/engine/kernel/artifact';
import type { ProgramExit } from '../../src/engine/kernel/exits';
import type { Builder, BuildOptions, BuildOutcome, Language } from '../../src/engine/languages';
import type { Program } from '../../src/engine/processes/program';
import type { StopResult } from '../../src/engine/processes/processGroup';
import { defaultSettings } from '../../src/engine/settings/defaults';
import type { DeployResult, InPlaceOutcome, InPlaceUpdates, RunStrategy } from '../../src/engine/strategies/strategy';
import { FakeClock, settle } from './fakeClock';
import { tempDir } from './files';
import { eventually } from './waiting';

/** A promise with its resolve at hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let nextPid = 1000;

export class FakeProgram implements Program {
  readonly pid = nextPid++;
  private readonly done = deferred<ProgramExit>();
  readonly exited = this.done.promise;
  exit: ProgramExit | undefined;
  output = '';
  input = '';

  constructor(
    readonly version: number,
    readonly startedAt = Date.now(),
  ) {}

  get running(): boolean {
    return this.exit === undefined;
  }

  onOutput(): void {}
  setOutputPaused(): void {}
  outputTail(): string {
    return this.output;
  }
  writeInput(data: string | Buffer): boolean {
    this.input += data.toString();
    return this.running;
  }
  /** The program ends by itself (a crash when `output` holds a panic). */
  die(code = 2, output = ''): void {
    this.output += output;
    if (!this.exit) {
      this.exit = { code, signal: null };
      this.done.resolve(this.exit);
    }
  }
  stop(signal: NodeJS.Signals): Promise<StopResult> {
    if (!this.exit) {
      this.exit = { code: null, signal };
      this.done.resolve(this.exit);
    }
    return Promise.resolve({ killed: false, elapsedMs: 0 });
  }
}

/** Each build waits until the test settles it (or settles at once with `auto`). */
export class FakeBuilder implements Builder {
  readonly overlays = true;
  readonly builds: { outFile: string; signal: AbortSignal; options: BuildOptions; settle: (outcome: BuildOutcome) => void }[] = [];
  auto: ((n: number) => BuildOutcome) | undefined = () => ({ kind: 'ok', file: '', output: '' });

  describe(): string {
    return 'fake build';
  }

  build(outFile: string, signal: AbortSignal, options: BuildOptions = {}): Promise<BuildOutcome> {
    const d = deferred<BuildOutcome>();
    const entry = { outFile, signal, options, settle: d.resolve };
    this.builds.push(entry);
    signal.addEventListener('abort', () => d.resolve({ kind: 'cancelled' }), { once: true });
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, 'binary');
    const outcome = this.auto?.(this.builds.length);
    if (outcome) d.resolve(outcome.kind === 'ok' ? { ...outcome, file: outFile } : outcome);
    return d.promise;
  }

  /** Build `index` (0-based) succeeds. */
  succeed(index: number): void {
    const build = this.builds[index];
    build.settle({ kind: 'ok', file: build.outFile, output: '' });
  }
}

export const failed = (message = 'build failed: 1 error'): BuildOutcome => ({
  kind: 'failed',
  message,
  output: '',
  diagnostics: [{ file: '/x/main.go', line: 3, column: 1, severity: 'error', message: 'undefined: x', source: 'go build', related: [] }],
});

/** Restarts like the restart strategy; `failNext` makes the next deploy fail; `hold` keeps deploys waiting. */
export class FakeStrategy implements RunStrategy {
  readonly name = 'restart' as const;
  readonly programs: FakeProgram[] = [];
  readonly deploys: Artifact[] = [];
  failNext: string | undefined;
  hold: Promise<void> | undefined;
  inPlace?: InPlaceUpdates;

  constructor(private readonly clock: FakeClock) {}

  async deploy(artifact: Artifact, current: Program | undefined): Promise<DeployResult> {
    this.deploys.push(artifact);
    await this.hold;
    await current?.stop('SIGTERM', 0);
    if (this.failNext) {
      const message = this.failNext;
      this.failNext = undefined;
      return { ok: false, message, output: '', stopMs: 0, startMs: 0 };
    }
    const program = new FakeProgram(artifact.version, this.clock.now());
    this.programs.push(program);
    return { ok: true, program, outcome: current ? 'restarted' : 'started', stopMs: 0, startMs: 0 };
  }

  get last(): FakeProgram {
    return this.programs[this.programs.length - 1];
  }

  async dispose(): Promise<void> {}
}

/** In-place updates that always apply (or answer as told). */
export function fakeInPlace(answer: () => InPlaceOutcome = () => ({ kind: 'updated', buildMs: 1, loadMs: 1, message: 'patched in place' })): InPlaceUpdates {
  return {
    plan: (changes) => ({ what: changes.map((c) => path.basename(c.path)).join(', ') }),
    apply: () => Promise.resolve(answer()),
    cleanRestartReason: () => undefined,
  };
}

/** Unsaved buffers of .go files; `formatted` says what the fake formatter makes of a text (default: the text itself). */
export const fakeBuffers = {
  globs: ['**/*.go'],
  formatted: undefined as ((text: string) => string | undefined) | undefined,
  accepts: (file: string) => file.endsWith('.go'),
  format(_file: string, content: Buffer): Promise<Buffer | undefined> {
    const out = fakeBuffers.formatted?.(content.toString('utf8'));
    return Promise.resolve(out === undefined ? undefined : Buffer.from(out, 'utf8'));
  },
};

const fakeLanguage = {
  editorBuffers: () => fakeBuffers,
  parseCrash: (output: string) =>
    output.startsWith('panic: ')
      ? { file: '/x/main.go', line: 7, column: 0, severity: 'error', message: output.split('\n')[0], source: 'panic', related: [] }
      : undefined,
} as unknown as Language;

export interface Harness {
  session: Session;
  builder: FakeBuilder;
  strategy: FakeStrategy;
  clock: FakeClock;
  events: EngineEvent[];
  dir: string;
  /** Writes a file of the project and saves it as an editor would; resolves once the session has read it and sent it on. */
  save(name: string, text: string): Promise<void>;
  /** Waits for `fn` to hold (nothing here waits on real time, so it is checked often). */
  until<T>(what: string, fn: () => T | undefined | null | false): Promise<T>;
  /** Waits until no reload runs or waits its turn (fails after 10 s instead of hanging the test). */
  idle(): Promise<void>;
  /** Resolves with `promise`, moving the fake clock on in small steps meanwhile (for what waits out a crash window). */
  movingTime<T>(promise: Promise<T>): Promise<T>;
  reports(): Extract<EngineEvent, { type: 'reload' }>['report'][];
  states(): string[];
  dispose(): Promise<void>;
}

export async function startFakeSession(overrides: Partial<Settings> = {}, beforeStart?: (session: Session) => Promise<void>): Promise<Harness> {
  const dir = tempDir('hr-fake-');
  const settings: Settings = { ...defaultSettings(dir), package: '.', crashWindowMs: 150, ...overrides };
  const builder = new FakeBuilder();
  const clock = new FakeClock();
  const strategy = new FakeStrategy(clock);
  const session = new Session(settings, { language: fakeLanguage, builder, strategy: () => strategy, clock }, { watch: false });
  const events: EngineEvent[] = [];
  session.events.on((e) => events.push(e));
  await beforeStart?.(session);
  await session.start();
  return {
    session,
    builder,
    strategy,
    clock,
    events,
    dir,
    save(name, text) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return session.notifySaved([file]);
    },
    until: (what, fn) => until(what, fn),
    movingTime: async (promise) => {
      let settled = false;
      const tracked = promise.finally(() => (settled = true));
      for (let steps = 0; !settled && steps < 100_000; steps++) await clock.advance(5);
      return tracked;
    },
    idle: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the session was still busy after 10 s')), 10_000);
      });
      try {
        await Promise.race([session.idle(), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    reports: () => events.flatMap((e) => (e.type === 'reload' ? [e.report] : [])),
    states: () => events.flatMap((e) => (e.type === 'state' ? [e.state] : [])),
    dispose: async () => {
      await session.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits for `fn` to hold: checked again as soon as promise callbacks and finished I/O have run,
 * then, when that is not enough (a file read still under way), every millisecond; gives up after
 * 10 s. The session's own time is the fake clock's, so nothing here waits on a timer of its.
 */
async function until<T>(what: string, fn: () => T | undefined | null | false): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = fn();
    if (value !== undefined && value !== null && value !== false) return value;
    await settle();
  }
  return eventually(what, fn, { intervalMs: 1, timeoutMs: 10_000 });
}

/** Runs `body` on a started fake session (with `overrides`) and disposes it after, however `body` ends. */
export async function withFakeSession(overrides: Partial<Settings>, body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startFakeSession(overrides);
  try {
    await body(h);
  } finally {
    await h.dispose();
  }
}
