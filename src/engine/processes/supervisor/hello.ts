import type { ChildProcess } from 'node:child_process';
import { FrameDecoder, FRAME_JSON, type Frame } from './frames';
import { decodeEvent, PROTOCOL_VERSION, type Hello } from './protocol';

const HELLO_TIMEOUT_MS = 20_000;

/**
 * A supervisor's channel from its start: its first frame must be a hello in this engine's protocol,
 * within HELLO_TIMEOUT_MS, or it is killed and `hello` rejects with why. The frames after the hello
 * go where `route` says (the Supervisor, once it is made). Its stderr is logged line by line, and
 * its tail kept for the sentence that says it exited.
 */
export class HelloChannel {
  readonly hello: Promise<Hello>;
  private onFrame: ((frame: Frame) => void) | undefined;
  private stderr = '';

  constructor(
    private readonly child: ChildProcess,
    /** The target, as sentences name it ("this machine", "container app"). */
    private readonly label: string,
    log: (message: string) => void,
  ) {
    this.hello = this.awaitHello();
    child.stdin!.on('error', () => undefined);
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4096);
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`supervisor on ${label}: ${line}`);
    });
  }

  /** Where the frames after the hello go. */
  route(onFrame: (frame: Frame) => void): void {
    this.onFrame = onFrame;
  }

  /** "the supervisor on … exited (…): <the end of its stderr>". */
  exitText(how: string, code: number | null, signal: NodeJS.Signals | null): string {
    const said = this.stderr.trim();
    return `the supervisor on ${this.label} ${how} (${signal ?? `status ${code}`})${said ? `: ${said}` : ''}`;
  }

  private awaitHello(): Promise<Hello> {
    const { child, label } = this;
    const decoder = new FrameDecoder();
    let greeted = false;
    return new Promise<Hello>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the supervisor on ${label} did not answer within ${HELLO_TIMEOUT_MS / 1000} s`)), HELLO_TIMEOUT_MS);
      child.once('error', (err) => (clearTimeout(timer), reject(new Error(`cannot start the supervisor on ${label}: ${err.message}`))));
      child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(this.exitText('exited at once', code, signal)))));
      child.stdout!.on('data', (chunk: Buffer) => {
        let frames;
        try {
          frames = decoder.push(chunk);
        } catch (err) {
          child.kill('SIGKILL');
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        for (const frame of frames) {
          if (greeted) {
            this.onFrame?.(frame);
            continue;
          }
          greeted = true;
          clearTimeout(timer);
          const greeting = frame.kind === FRAME_JSON ? readHello(frame.message) : new Error('the supervisor did not start with hello');
          if (greeting instanceof Error) {
            child.kill('SIGKILL');
            reject(greeting);
          } else resolve(greeting);
        }
      });
    });
  }
}

/**
 * The supervisor's first message, or why this engine cannot use that supervisor: another protocol
 * (checked first: another protocol's hello may have other fields), or no hello.
 */
function readHello(message: unknown): Hello | Error {
  const raw = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : {};
  if (raw.event !== 'hello') return new Error('the supervisor did not start with hello');
  if (raw.protocol !== PROTOCOL_VERSION)
    return new Error(`the supervisor speaks protocol ${String(raw.protocol)}, this engine ${PROTOCOL_VERSION}: reinstall the extension`);
  const decoded = decodeEvent(message);
  if (decoded.ok && decoded.message.event === 'hello') return decoded.message;
  return new Error(`the supervisor's hello cannot be read (${decoded.ok ? decoded.message.event : decoded.error}): reinstall the extension`);
}
