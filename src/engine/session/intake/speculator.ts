import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock, Timer } from '../../kernel/clock';
import type { ReloadTrigger } from '../../kernel/events';
import type { Builder, BuildOutcome, EditorBuffers } from '../../languages';
import { BackgroundPriority } from '../../processes/backgroundPriority';
import { hashOf } from '../../watch/contentHashes';

/** How long typing must pause before a build of the unsaved buffers starts. */
export const SPECULATE_AFTER_MS = 300;

/** One build of the unsaved buffers. */
interface Attempt {
  /** The files built from a buffer rather than the disk, with the hash of the content used. */
  inputs: Map<string, string>;
  /** Per buffer it looked at, the texts it is still right for (as typed, and as formatted). */
  accepted: Map<string, Set<string>>;
  dir: string;
  file: string;
  controller: AbortController;
  priority: BackgroundPriority;
  done: Promise<BuildOutcome>;
  outcome?: BuildOutcome;
}

export interface SpeculatorDeps {
  builder: Builder;
  buffers: EditorBuffers;
  /** Where candidates are built (the work dir's, emptied at every start). */
  dir: string;
  /** The executable's file name. */
  name: string;
  /** What builds for the target need on top of the build's environment (GOOS, GOARCH). */
  env(): Promise<Record<string, string>>;
  /** Times the pause in typing. */
  clock: Clock;
}

/**
 * Builds before the save. The editor's unsaved buffers come in as they change; after a pause in
 * typing they are built through the builder's overlay (formatted as a format-on-save would, while
 * saves show that they are), at the lowest CPU priority, one build at a time, dropped by the next
 * keystroke. Nothing of it is shown: no diagnostics, no program. When a reload starts and every
 * file the candidate was built from is on disk with exactly that content (and nothing else
 * changed since it started), the candidate is the build; one still under way races a real build.
 */
export class Speculator {
  /** The latest unsaved text of each open buffer. */
  private readonly buffers = new Map<string, string>();
  private timer: Timer | undefined;
  /** Counts edits, so that a speculation overtaken by typing gives up. */
  private generation = 0;
  private attempt: Attempt | undefined;
  private sequence = 0;
  private suspended = false;
  private disposed = false;
  /** Whether saves format the text (format-on-save): assumed, until a save shows otherwise. */
  private formatsOnSave = true;
  /** The hashes last speculated on per buffer, as typed and as formatted, to learn `formatsOnSave` from its save. */
  private readonly variants = new Map<string, { raw: string; formatted: string }>();

  constructor(private readonly deps: SpeculatorDeps) {}

  /** An open buffer's text changed (undefined: closed). The next keystroke drops a build of older text. */
  edit(file: string, text: string | undefined): void {
    if (this.disposed || !this.deps.buffers.accepts(file)) return;
    if (text === undefined) this.buffers.delete(file);
    else this.buffers.set(file, text);
    this.generation++;
    const a = this.attempt;
    // A format-on-save edit turns the buffer into the text being built: that one is kept.
    if (a && !a.outcome && text !== undefined && !stillRight(a, file, hashOf(Buffer.from(text, 'utf8')))) this.drop();
    this.arm();
  }

  /** Files changed on disk (a save, a checkout). A candidate built on other sources is stale. */
  diskChanged(files: readonly string[]): void {
    for (const file of files) {
      const v = this.variants.get(file);
      if (!v || v.raw === v.formatted) continue;
      const onDisk = diskHash(file);
      if (onDisk === v.formatted) this.formatsOnSave = true;
      else if (onDisk === v.raw) this.formatsOnSave = false;
    }
    const a = this.attempt;
    if (a && files.some((f) => !a.inputs.has(f))) this.drop();
    this.arm();
  }

  /** A reload runs: no speculation starts until it is over. */
  suspend(): void {
    this.suspended = true;
    this.deps.clock.clearTimeout(this.timer);
  }

  resume(): void {
    this.suspended = false;
    this.arm();
  }

  /**
   * The build a reload needs: the candidate when the files on disk are exactly what it was built
   * from; one still under way races `real` (which it never delays: it runs at the lowest priority).
   */
  async build(
    trigger: ReloadTrigger,
    outFile: string,
    signal: AbortSignal,
    real: (signal: AbortSignal) => Promise<BuildOutcome>,
  ): Promise<{ outcome: BuildOutcome; builtBeforeSave: boolean }> {
    this.suspend();
    const a = this.claim(trigger);
    if (!a) return { outcome: await real(signal), builtBeforeSave: false };
    if (a.outcome?.kind === 'ok') return this.adopt(a, outFile, signal, real);
    // The user waits for it now: at normal priority it is ahead of a real build started now.
    if (await a.priority.raise()) return this.finish(a, outFile, signal, real);
    // It must stay at the lowest priority (no autogroups): it races a real build, which it cannot slow.
    const controller = new AbortController();
    const cancel = () => controller.abort();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const realBuild = real(controller.signal);
      const first = await Promise.race([realBuild.then((outcome) => ({ real: true, outcome })), a.done.then((outcome) => ({ real: false, outcome }))]);
      if (first.real) {
        if (first.outcome.kind !== 'cancelled') this.drop(a);
        return { outcome: first.outcome, builtBeforeSave: false };
      }
      if (first.outcome.kind !== 'ok' || signal.aborted) return { outcome: await realBuild, builtBeforeSave: false };
      // The real build goes (its process group is killed in the background); the candidate lands
      // beside its output, never on it, so nothing waits for that.
      controller.abort();
      return this.adopt(a, outFile, signal, real);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  /** Waits for a raised build; a failed or dropped one gives way to a real build. */
  private async finish(
    a: Attempt,
    outFile: string,
    signal: AbortSignal,
    real: (signal: AbortSignal) => Promise<BuildOutcome>,
  ): Promise<{ outcome: BuildOutcome; builtBeforeSave: boolean }> {
    const outcome = await new Promise<BuildOutcome>((resolve) => {
      void a.done.then(resolve);
      signal.addEventListener('abort', () => resolve({ kind: 'cancelled' }), { once: true });
    });
    if (signal.aborted) return { outcome: { kind: 'cancelled' }, builtBeforeSave: false };
    if (outcome.kind === 'ok') return this.adopt(a, outFile, signal, real);
    this.drop(a);
    return { outcome: await real(signal), builtBeforeSave: false };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.deps.clock.clearTimeout(this.timer);
    const a = this.attempt;
    this.drop();
    await a?.done;
    removeQuietly(this.deps.dir);
  }

  /** The attempt a reload can use, or undefined (an attempt that cannot be is dropped, unless it is a finished candidate a later save may still match). */
  private claim(trigger: ReloadTrigger): Attempt | undefined {
    const a = this.attempt;
    if (!a) return undefined;
    if (trigger !== 'save' && trigger !== 'change') {
      this.drop();
      return undefined;
    }
    const exact = [...a.inputs].every(([file, hash]) => diskHash(file) === hash);
    if (!exact || (a.outcome && a.outcome.kind !== 'ok')) {
      // A failed candidate gives way to a real build, whose errors are then shown.
      if (!a.outcome || a.outcome.kind !== 'ok') this.drop();
      return undefined;
    }
    return a;
  }

  /**
   * Moves a successful candidate into the reload's build folder (`<dir of outFile>/before-save/`,
   * which goes with that folder), under the executable's own name.
   */
  private async adopt(
    a: Attempt,
    outFile: string,
    signal: AbortSignal,
    real: (signal: AbortSignal) => Promise<BuildOutcome>,
  ): Promise<{ outcome: BuildOutcome; builtBeforeSave: boolean }> {
    if (this.attempt === a) this.attempt = undefined;
    const file = path.join(path.dirname(outFile), 'before-save', path.basename(outFile));
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.renameSync(a.file, file);
    } catch {
      return { outcome: await real(signal), builtBeforeSave: false };
    } finally {
      removeQuietly(a.dir);
    }
    return { outcome: { kind: 'ok', file, output: a.outcome?.kind === 'ok' ? a.outcome.output : '' }, builtBeforeSave: true };
  }

  private arm(): void {
    this.deps.clock.clearTimeout(this.timer);
    if (this.suspended || this.disposed || this.buffers.size === 0) return;
    // A build before the save is a bonus: if it cannot even start (the work dir is gone), the save builds as usual.
    this.timer = this.deps.clock.setTimeout(() => void this.speculate().catch(() => this.drop()), SPECULATE_AFTER_MS);
  }

  private async speculate(): Promise<void> {
    const generation = this.generation;
    const overtaken = () => generation !== this.generation || this.suspended || this.disposed;
    const controller = new AbortController();
    const inputs = new Map<string, Buffer>();
    const accepted = new Map<string, Set<string>>();
    for (const [file, text] of [...this.buffers]) {
      const raw = Buffer.from(text, 'utf8');
      // Formatted even when saves do not format, so that a save that does is noticed.
      const formatted = (await this.deps.buffers.format(file, raw, controller.signal)) ?? raw;
      if (overtaken()) return; // typing went on: the next pause speculates
      const content = this.formatsOnSave ? formatted : raw;
      const variant = { raw: hashOf(raw), formatted: hashOf(formatted) };
      this.variants.set(file, variant);
      accepted.set(file, new Set([variant.raw, variant.formatted]));
      if (hashOf(content) !== diskHash(file)) inputs.set(file, content);
    }
    if (inputs.size === 0) return; // every buffer is as on disk
    const hashes = new Map([...inputs].map(([file, content]) => [file, hashOf(content)]));
    if (this.attempt && builds(this.attempt, hashes)) return; // built, or being built, already
    const env = await this.deps.env();
    if (overtaken()) return;
    this.drop();
    const dir = path.join(this.deps.dir, `s${++this.sequence}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, this.deps.name);
    const priority = new BackgroundPriority(path.join(dir, 'build.pid'));
    const attempt: Attempt = { inputs: hashes, accepted, dir, file, priority, controller: new AbortController(), done: Promise.resolve({ kind: 'cancelled' }) };
    this.attempt = attempt;
    attempt.done = this.deps.builder.build(file, attempt.controller.signal, { overlay: inputs, background: priority, env }).then(
      (outcome) => (attempt.outcome = outcome),
      (err: Error) => (attempt.outcome = { kind: 'failed', diagnostics: [], output: '', message: err.message }),
    );
  }

  /** Cancels and forgets an attempt (the current one by default); its files go once its build is gone. */
  private drop(a = this.attempt): void {
    if (!a) return;
    if (this.attempt === a) this.attempt = undefined;
    a.controller.abort();
    void a.done.then(() => removeQuietly(a.dir));
  }
}

/**
 * Whether an attempt builds the sources that `wanted` (the hashes of the files that differ from
 * the disk) describes: the same files from buffers, or files since saved with what it read.
 */
function builds(a: Attempt, wanted: Map<string, string>): boolean {
  for (const [file, hash] of wanted) if (a.inputs.get(file) !== hash) return false;
  for (const [file, hash] of a.inputs) if (!wanted.has(file) && diskHash(file) !== hash) return false;
  return true;
}

/** Whether an attempt is still right for a buffer whose text now hashes to `hash`. */
function stillRight(a: Attempt, file: string, hash: string): boolean {
  const accepted = a.accepted.get(file);
  return accepted ? accepted.has(hash) : hash === diskHash(file);
}

function diskHash(file: string): string | undefined {
  try {
    return hashOf(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** A build folder of ours goes; one that cannot (the work dir unusable, already said at start) is left. */
function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // nothing to clean, or nothing we can
  }
}
