/**
 * A minimal ustar writer: regular files and folders, owner root, time zero, so the same input
 * always gives the same bytes (an image's layer digest is its content's). Enough for an image
 * archive; nothing here reads tar.
 */

export interface TarEntry {
  /** A relative path; folders end with '/'. */
  name: string;
  mode: number;
  content?: Buffer;
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, Math.min(Buffer.byteLength(value), length), 'utf8');
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function headerOf(entry: TarEntry): Buffer {
  if (Buffer.byteLength(entry.name) > 100) throw new Error(`tar: the name ${entry.name} is longer than 100 bytes`);
  const header = Buffer.alloc(BLOCK);
  const folder = entry.name.endsWith('/');
  field(header, 0, 100, entry.name);
  field(header, 100, 8, octal(entry.mode, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(folder ? 0 : (entry.content?.length ?? 0), 12));
  field(header, 136, 12, octal(0, 12));
  field(header, 148, 8, '        ');
  field(header, 156, 1, folder ? '5' : '0');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  field(header, 265, 32, 'root');
  field(header, 297, 32, 'root');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** The archive of `entries`, in the order given. */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(headerOf(entry));
    if (entry.content && !entry.name.endsWith('/')) {
      parts.push(entry.content);
      const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
