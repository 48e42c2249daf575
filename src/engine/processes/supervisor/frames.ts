import type { SupervisorRequest } from './protocol';

/**
 * The supervisor channel's framing: a 4-byte big-endian length (of kind and payload), a kind byte,
 * the payload. JSON frames carry messages; output and input frames carry a program's bytes as
 * they are: [4-byte program id][1-byte stream][bytes] and [4-byte program id][bytes].
 */
export const FRAME_JSON = 1;
export const FRAME_OUTPUT = 2;
export const FRAME_INPUT = 3;
export const FRAME_FILE = 4;

/** The stream byte of an output frame: 1 is stdout, 2 stderr. */
const STREAM_STDERR = 2;

const MAX_FRAME = 16 << 20;

/** A frame from the supervisor: a JSON message (decoded by protocol.ts) or a program's output. */
export type Frame = { kind: typeof FRAME_JSON; message: unknown } | { kind: typeof FRAME_OUTPUT; id: number; stream: 'stdout' | 'stderr'; data: Buffer };

export function encodeJson(message: SupervisorRequest): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length + 1, 0);
  head[4] = FRAME_JSON;
  return Buffer.concat([head, body]);
}

export function encodeInput(id: number, data: Buffer, kind: typeof FRAME_INPUT | typeof FRAME_FILE = FRAME_INPUT): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt32BE(data.length + 5, 0);
  head[4] = kind;
  head.writeUInt32BE(id, 5);
  return Buffer.concat([head, data]);
}

/** Turns a byte stream into frames; throws on a frame that cannot be (the channel is then broken). */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.size < 4) break;
      const head = this.peek(4);
      const length = head.readUInt32BE(0);
      if (length < 1 || length > MAX_FRAME) throw new Error(`the supervisor sent a frame of ${length} bytes`);
      if (this.size < 4 + length) break;
      const frame = this.take(4 + length).subarray(4);
      const kind = frame[0];
      if (kind === FRAME_JSON) frames.push({ kind, message: JSON.parse(frame.subarray(1).toString('utf8')) as unknown });
      else if (kind === FRAME_OUTPUT)
        frames.push({ kind, id: frame.readUInt32BE(1), stream: frame[5] === STREAM_STDERR ? 'stderr' : 'stdout', data: Buffer.from(frame.subarray(6)) });
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0];
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.size -= n;
    return out;
  }
}
