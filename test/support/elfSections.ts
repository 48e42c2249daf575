import * as fs from 'node:fs';

/** The section names of a 64-bit little-endian ELF file (what `readelf -S` lists), without a tool. */
export function elfSections(file: string): string[] {
  const b = fs.readFileSync(file);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error(`${file} is not a 64-bit little-endian ELF file`);
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const shstrndx = b.readUInt16LE(0x3e);
  const header = (i: number) => shoff + i * shentsize;
  const strtab = Number(b.readBigUInt64LE(header(shstrndx) + 0x18));
  const names: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const start = strtab + b.readUInt32LE(header(i));
    names.push(b.toString('latin1', start, b.indexOf(0, start)));
  }
  return names;
}
