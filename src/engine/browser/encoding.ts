import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';

/** The content codings a page may come in that the proxy can open and close again. */
export type Coding = 'identity' | 'gzip' | 'br';

/** A response's Content-Encoding as a coding the proxy handles, or undefined (then the page is left alone). */
export function codingOf(contentEncoding: string | undefined): Coding | undefined {
  const value = (contentEncoding ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'br') return 'br';
  return undefined; // deflate (two incompatible readings), zstd, stacked codings
}

/** Undoes the coding as the bytes arrive; lenient about a body cut short, as browsers are. */
export function decoder(coding: Exclude<Coding, 'identity'>): Transform {
  return coding === 'gzip'
    ? zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
    : zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
}

/** Applies the coding again, flushing after every chunk so a streamed page still streams. */
export function encoder(coding: Exclude<Coding, 'identity'>): Transform {
  // Fast settings: the bytes travel over loopback or a LAN; brotli's default quality (11) is for CDNs.
  return coding === 'gzip'
    ? new FlushingEncoder(zlib.createGzip({ level: 4 }), zlib.constants.Z_SYNC_FLUSH)
    : new FlushingEncoder(zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }), zlib.constants.BROTLI_OPERATION_FLUSH);
}

/** A compressor that emits what it has for each chunk written (a sync flush) instead of waiting for a full block. */
class FlushingEncoder extends Transform {
  constructor(
    private readonly compressor: zlib.Gzip | zlib.BrotliCompress,
    private readonly flushKind: number,
  ) {
    super();
    compressor.on('data', (data: Buffer) => this.push(data));
    compressor.on('error', (err) => this.destroy(err));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.compressor.write(chunk);
    this.compressor.flush(this.flushKind, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    this.compressor.once('end', () => callback());
    this.compressor.end();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.compressor.destroy();
    callback(err);
  }
}
