/** Reads what a PNG shows (size, colour type, RGBA rows), to compare icons by pixels, not by compressed bytes. */
import { inflateSync } from 'node:zlib';

export function readPng(data: Buffer): { width: number; height: number; colorType: number; bitDepth: number; scanlines: Buffer } {
  if (!data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG');
  let offset = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG without IHDR');
  return {
    width: header.readUInt32BE(0),
    height: header.readUInt32BE(4),
    bitDepth: header[8]!,
    colorType: header[9]!,
    scanlines: inflateSync(Buffer.concat(idat)),
  };
}
